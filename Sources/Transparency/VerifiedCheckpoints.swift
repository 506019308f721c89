import Checkpoints
import EventStore
import LMDB
import Synchronization

/// The primary's signed checkpoints a replica has verified against its own
/// copy, stored by tree size in the `checkpoints` database as a primary
/// stores its own: the replica's data directory (and its backups) then
/// verify offline like the primary's (`accord verify`), and a promoted
/// replica continues the same signed history.
public final class VerifiedCheckpoints: CheckpointSource {
    let store: EventStore
    let checkpoints: Database<UInt64, [UInt8]>
    private let newest = Mutex<(checkpoint: SignedCheckpoint, key: NoteVerifierKey)?>(nil)

    public init(store: EventStore) throws {
        self.store = store
        checkpoints = try Checkpointer.open(store.environment)
    }

    /// The newest stored checkpoint's text, not yet checked.
    public func storedText() throws -> String? {
        try store.environment.read { txn in try txn.last(checkpoints).map { String(decoding: $0.1, as: UTF8.self) } }
    }

    /// Keeps `checkpoint`, which the caller verified (signature by `key`,
    /// root equal to this log's at its size), as the newest; stores it
    /// unless one of its size is stored.
    public func record(_ checkpoint: SignedCheckpoint, key: NoteVerifierKey) throws {
        try store.environment.write { txn in
            if try !txn.contains(checkpoints, checkpoint.checkpoint.size) {
                try txn.put(checkpoints, checkpoint.checkpoint.size, Array(checkpoint.text.utf8))
            }
        }
        newest.withLock { state in
            if (state?.checkpoint.checkpoint.size ?? 0) <= checkpoint.checkpoint.size { state = (checkpoint, key) }
        }
    }

    public func latest() throws -> (checkpoint: SignedCheckpoint, key: NoteVerifierKey)? {
        newest.withLock { $0 }
    }

    /// Only the primary's checkpoints this replica verified and stored: it holds no key to sign one.
    public func text(ofSize size: UInt64) throws -> String? {
        try Checkpointer.stored(size: size, in: store.environment)
    }

    /// Read from the copied `$keys` stream, which grows as the replica copies.
    public func keyRotations() throws -> [KeyChain.Link] { try KeyChain(store: store).links }
}
