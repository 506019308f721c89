import Checkpoints

/// Where a server's `checkpoint` answer comes from: a primary signs its own
/// (`Checkpointer`); a replica serves the latest it verified from its
/// primary (`VerifiedCheckpoints`), since it holds no key of the log's.
public protocol CheckpointSource: Sendable {
    /// The newest signed checkpoint and the key that signed it; `nil` while
    /// there is none (a replica that has verified nothing yet).
    func latest() throws -> (checkpoint: SignedCheckpoint, key: NoteVerifierKey)?
    /// Every signing-key rotation the log recorded, oldest first.
    func keyRotations() throws -> [KeyChain.Link]
    /// A signed checkpoint of exactly `size` events (an edition's, a
    /// quarter's), as stored, or signed now when the key in effect at that
    /// size is this server's; `nil` when neither is possible.
    func text(ofSize size: UInt64) throws -> String?
}

extension Checkpointer: CheckpointSource {
    public func latest() throws -> (checkpoint: SignedCheckpoint, key: NoteVerifierKey)? {
        (try current(), key.verifier)
    }

    public func keyRotations() throws -> [KeyChain.Link] { keyChain.links }

    public func text(ofSize size: UInt64) throws -> String? {
        if let stored = try Self.stored(size: size, in: store.environment) { return stored }
        return try Self.sign(size: size, of: store, with: key, keyChain: keyChain)
    }
}
