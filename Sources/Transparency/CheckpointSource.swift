import Checkpoints
import EventStore
import LMDB

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

extension CheckpointSource {
    /// The stored checkpoint of exactly `size` events, if any.
    static func stored(size: UInt64, in checkpoints: Database<UInt64, [UInt8]>, of store: EventStore) throws -> String? {
        try store.environment.read { txn in try txn.get(checkpoints, size).map { String(decoding: $0, as: UTF8.self) } }
    }
}

extension Checkpointer: CheckpointSource {
    public func latest() throws -> (checkpoint: SignedCheckpoint, key: NoteVerifierKey)? {
        (try current(), key.verifier)
    }

    public func keyRotations() throws -> [KeyChain.Link] { keyChain.links }

    public func text(ofSize size: UInt64) throws -> String? {
        if let stored = try Self.stored(size: size, in: checkpoints, of: store) { return stored }
        // Signing a past size is a true statement about that prefix, but only
        // the key in effect at that size may make it (KeyChain).
        guard size <= store.head, (keyChain.signer(forSize: size) ?? key.verifier) == key.verifier else { return nil }
        let root = try store.read { txn in try store.log.root(size: size, in: txn) }
        let checkpoint = Checkpoint(origin: origin, size: size, root: root, epoch: try Epoch.at(size: size, in: store))
        return try SignedCheckpoint(signing: checkpoint, with: key).text
    }
}
