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
}

extension Checkpointer: CheckpointSource {
    public func latest() throws -> (checkpoint: SignedCheckpoint, key: NoteVerifierKey)? {
        (try current(), key.verifier)
    }

    public func keyRotations() throws -> [KeyChain.Link] { keyChain.links }
}
