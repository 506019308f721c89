import AccordClient
import AccordCore
import Logging
import Merkle

/// Checks that the server's log is the one the tables were copied from:
/// the same origin, and a tree that extends the copied one (its root over
/// the copied events is the stored root, and a consistency proof from that
/// tree to the server's verifies). A different or rewritten log stops the
/// sink rather than mixing two histories.
public enum LogIdentity {
    /// The origin to record with the next batch (`nil` for a log without a tree).
    public static func check(_ state: SinkState, client: AccordClient, logger: Logger) async throws -> String? {
        let head: SignedTreeHead
        do {
            head = try await client.checkpoint()
        } catch ClientError.server(let code, let message, _) where code == .badRequest {
            if state.root != nil {
                throw SinkError.mismatchedLog("the copy was made from a log with a Merkle tree; this server's has none (\(message))")
            }
            logger.warning("the server's log keeps no Merkle tree: the sink cannot check that it is the log copied")
            return nil
        }
        if let origin = state.origin, origin != head.origin {
            throw SinkError.mismatchedLog("the copy is of log \"\(origin)\"; this server keeps \"\(head.origin)\"")
        }
        guard state.position > 0, let text = state.root else { return head.origin }
        guard let root = TreeHash(base64: text) else {
            throw SinkError.mismatchedLog("sink_state.root \(text) is not a base64 SHA-256 hash")
        }
        let proof: ConsistencyProof
        do {
            proof = try await client.consistencyProof(oldSize: state.position)
        } catch ClientError.server(let code, let message, _) where code == .badRequest {
            throw SinkError.mismatchedLog("the copy holds \(state.position) events; the server's log does not (\(message))")
        }
        guard proof.oldRoot == root else {
            throw SinkError.mismatchedLog(
                "the server's root over the first \(state.position) events is \(proof.oldRoot.base64), the copy's is \(text)")
        }
        do {
            try ProofVerifier.verifyConsistency(
                oldSize: state.position, newSize: proof.newSize, oldRoot: root, newRoot: proof.newRoot, proof: proof.path)
        } catch {
            throw SinkError.mismatchedLog(
                "the server's tree of \(proof.newSize) does not extend the copied tree of \(state.position): \(error)")
        }
        return head.origin
    }
}
