import AccordJSON
import Checkpoints
import Client
import Merkle

/// An auditor's checks against a running server, trusting nothing it says
/// that a proof does not back: the checkpoint's signature, the consistency of
/// an earlier checkpoint with it, and the inclusion of chosen events, each
/// recomputed from the event as sent.
struct OnlineAudit {
    struct Results: Sendable {
        var lines: [String] = []
        var passed = true
        var checkpointText: String?
    }

    let client: AccordClient
    let key: NoteVerifierKey

    func run(previous: Checkpoint?, events: [UInt64]) async throws -> Results {
        var results = Results()
        func check(_ what: String, _ body: () async throws -> String) async {
            do {
                results.lines.append("ok      \(what): \(try await body())")
            } catch {
                results.passed = false
                results.lines.append("FAILED  \(what): \(error)")
            }
        }
        let answer = try await client.request("checkpoint")
        let text = answer["checkpoint"]?.stringValue ?? ""
        guard let current = try? SignedCheckpoint(text: text, verifiedBy: key).checkpoint else {
            results.passed = false
            results.lines.append("FAILED  checkpoint: the server's checkpoint does not verify with key \(key.name)")
            return results
        }
        results.checkpointText = text
        results.lines.append("ok      checkpoint: \(current.origin) at \(current.size) events, root \(current.root.base64), signature verified")
        if let previous {
            await check("consistency \(previous.size) → \(current.size)") {
                let proof = try await client.request("prove_consistency", [
                    "oldSize": .integer(Int64(previous.size)), "newSize": .integer(Int64(current.size)),
                ])
                try ProofVerifier.verifyConsistency(
                    oldSize: previous.size, newSize: current.size, oldRoot: previous.root, newRoot: current.root, proof: hashes(proof["path"]))
                return "the earlier log is a prefix of the current one"
            }
        }
        for position in events {
            await check("event \(position)") {
                let read = try await client.request("read_all", ["from": .integer(Int64(position)), "limit": 1])
                guard let event = read["events"]?.arrayValue?.first, event["position"] == .integer(Int64(position)) else {
                    throw AuditFailure("the server did not return event \(position)")
                }
                let leaf = RFC6962.leafHash(event.canonicalBytes)
                let proof = try await client.request("prove_inclusion", [
                    "position": .integer(Int64(position)), "treeSize": .integer(Int64(current.size)),
                ])
                try ProofVerifier.verifyInclusion(leaf: leaf, index: position, size: current.size, proof: hashes(proof["path"]), root: current.root)
                return "\(event["type"]?.stringValue ?? "?") on \(event["stream"]?.stringValue ?? "?") is included, unchanged"
            }
        }
        return results
    }

    private func hashes(_ value: JSONValue?) throws -> [TreeHash] {
        try (value?.arrayValue ?? []).map { item in
            guard let text = item.stringValue, let hash = TreeHash(base64: text) else { throw AuditFailure("a proof hash is not base64 SHA-256") }
            return hash
        }
    }
}

struct AuditFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
