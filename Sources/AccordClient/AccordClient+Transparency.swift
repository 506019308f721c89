import AccordCore
import AccordJSON
import Merkle
import WireProtocol

extension AccordClient {
    /// The log's head: events occupy `0..<head`.
    public func ping() async throws -> Position {
        guard let head = try await send(.ping)["head"]?.int64Value else { throw ClientError.unexpectedAnswer("ping without a head") }
        return UInt64(head)
    }

    /// The committed log's signed tree head.
    public func checkpoint() async throws -> SignedTreeHead {
        let result = try await send(.checkpoint(treeSize: nil))
        guard let text = result["checkpoint"]?.stringValue, let origin = result["origin"]?.stringValue,
            let size = result["treeSize"]?.int64Value, let root = try Self.hash(result["root"]), let key = result["key"]?.stringValue
        else { throw ClientError.unexpectedAnswer("a checkpoint lacks its note, origin, size, root or key") }
        let rotations = try (result["keyRotations"]?.arrayValue ?? []).map { json throws(ClientError) in
            do { return try RecordedEvent(json: json) } catch { throw .unexpectedAnswer("a key rotation is not an event: \(error)") }
        }
        return SignedTreeHead(text: text, origin: origin, treeSize: UInt64(size), root: root, key: key, keyRotations: rotations)
    }

    /// The audit path of the event at `position` in the tree of `treeSize` (default: the head).
    public func inclusionProof(position: Position, treeSize: UInt64? = nil) async throws -> InclusionProof {
        let result = try await send(.proveInclusion(position: position, treeSize: treeSize))
        guard let size = result["treeSize"]?.int64Value, let leaf = try Self.hash(result["leafHash"]),
            let root = try Self.hash(result["root"])
        else { throw ClientError.unexpectedAnswer("an inclusion proof lacks its size, leaf or root") }
        return InclusionProof(position: position, treeSize: UInt64(size), leafHash: leaf, root: root, path: try Self.hashes(result["path"]))
    }

    /// A proof that the tree of `oldSize` is a prefix of the tree of `newSize` (default: the head).
    public func consistencyProof(oldSize: UInt64, newSize: UInt64? = nil) async throws -> ConsistencyProof {
        let result = try await send(.proveConsistency(oldSize: oldSize, newSize: newSize))
        guard let new = result["newSize"]?.int64Value, let oldRoot = try Self.hash(result["oldRoot"]),
            let newRoot = try Self.hash(result["newRoot"])
        else { throw ClientError.unexpectedAnswer("a consistency proof lacks its sizes or roots") }
        return ConsistencyProof(
            oldSize: oldSize, newSize: UInt64(new), oldRoot: oldRoot, newRoot: newRoot, path: try Self.hashes(result["path"]))
    }

    /// Proves that the tree `old` (a size and root the caller trusts) is a
    /// prefix of the tree `new`: the log was only appended to in between.
    public func verifyConsistency(old: (size: UInt64, root: TreeHash), new: (size: UInt64, root: TreeHash)) async throws {
        let proof = try await consistencyProof(oldSize: old.size, newSize: new.size)
        do {
            try ProofVerifier.verifyConsistency(
                oldSize: old.size, newSize: new.size, oldRoot: old.root, newRoot: new.root, proof: proof.path)
        } catch {
            throw ClientError.verificationFailed("the tree of \(old.size) is not a prefix of the tree of \(new.size): \(error)")
        }
    }

    /// Proves that `event`, as received, is the leaf at its position of the tree `tree`.
    public func verifyInclusion(of event: RecordedEvent, in tree: (size: UInt64, root: TreeHash)) async throws {
        let leaf = RFC6962.leafHash(event.jsonBytes)
        let proof = try await inclusionProof(position: event.position, treeSize: tree.size)
        do {
            try ProofVerifier.verifyInclusion(leaf: leaf, index: event.position, size: tree.size, proof: proof.path, root: tree.root)
        } catch {
            throw ClientError.verificationFailed("event \(event.position) as received is not in the tree of \(tree.size): \(error)")
        }
    }

    private static func hash(_ value: JSONValue?) throws(ClientError) -> TreeHash? {
        guard let text = value?.stringValue else { return nil }
        guard let hash = TreeHash(base64: text) else { throw .unexpectedAnswer("\(text) is not a base64 SHA-256 hash") }
        return hash
    }

    private static func hashes(_ value: JSONValue?) throws(ClientError) -> [TreeHash] {
        try (value?.arrayValue ?? []).map { item throws(ClientError) in
            guard let hash = try hash(item) else { throw .unexpectedAnswer("a proof hash is not a string") }
            return hash
        }
    }
}
