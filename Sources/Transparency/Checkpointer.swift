import Checkpoints
import EventStore
import Foundation
import LMDB
import Merkle
import Synchronization

/// Signs the log's tree heads and keeps the latest signed checkpoint.
///
/// `current()` signs the committed head on demand (cached per size, so a
/// busy `checkpoint` op signs once per new head); `persist()` stores the
/// latest in the `checkpoints` database beside the log, so `accord verify`
/// can check a data directory or a backup offline. Checkpoints are stored by
/// tree size and never replaced: they are the log's signed history.
public final class Checkpointer: Sendable {
    public let key: NoteSignerKey
    /// The log's signing-key rotations, read at start: `$keys` is written
    /// only offline (`accord key rotate`), never while a server runs.
    public let keyChain: KeyChain
    let store: EventStore
    let checkpoints: Database<UInt64, [UInt8]>
    private let signed = Mutex<SignedCheckpoint?>(nil)

    /// The log's name in every checkpoint: the signing key's name.
    public var origin: String { key.name }

    /// Opens (creating, in a writable environment) the `checkpoints` database.
    public init(store: EventStore, key: NoteSignerKey) throws {
        self.store = store
        self.key = key
        keyChain = try KeyChain(store: store)
        checkpoints = try Self.open(store.environment)
    }

    /// A checkpoint of the committed log, signed now if the log grew since the last.
    public func current() throws -> SignedCheckpoint {
        let head = try store.treeHead()
        if let cached = signed.withLock({ $0 }), cached.checkpoint.size == head.size { return cached }
        let epoch = try Epoch.at(size: head.size, in: store)
        let signed = try SignedCheckpoint(signing: Checkpoint(origin: origin, size: head.size, root: head.root, epoch: epoch), with: key)
        self.signed.withLock { state in
            if (state?.checkpoint.size ?? 0) <= head.size { state = signed }
        }
        return signed
    }

    /// Stores the current checkpoint unless one of its size is stored; returns it.
    @discardableResult
    public func persist() throws -> SignedCheckpoint {
        let signed = try current()
        try store.environment.write { txn in
            if try !txn.contains(checkpoints, signed.checkpoint.size) {
                try txn.put(checkpoints, signed.checkpoint.size, Array(signed.text.utf8))
            }
        }
        return signed
    }

    /// The latest stored checkpoint's text, without checking it.
    public static func latestStored(in env: Environment) throws -> String? {
        let db: Database<UInt64, [UInt8]>? = try env.read { txn in try Database.open("checkpoints", in: txn, create: false) }
        guard let db else { return nil }
        return try env.read { txn in try txn.last(db).map { String(decoding: $0.1, as: UTF8.self) } }
    }

    /// The stored checkpoint of exactly `size` events, without checking it (read-only).
    public static func stored(size: UInt64, in env: Environment) throws -> String? {
        let db: Database<UInt64, [UInt8]>? = try env.read { txn in try Database.open("checkpoints", in: txn, create: false) }
        guard let db else { return nil }
        return try env.read { txn in try txn.get(db, size).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// A checkpoint of the first `size` events signed with `key`, when `key`
    /// is the one in effect at that size (`keyChain`); `nil` otherwise.
    /// Signing a past size is a true statement about that prefix, but only
    /// the key in effect then may make it.
    public static func sign(size: UInt64, of store: EventStore, with key: NoteSignerKey, keyChain: KeyChain) throws -> String? {
        guard size <= store.head, (keyChain.signer(forSize: size) ?? key.verifier) == key.verifier else { return nil }
        let root = try store.read { txn in try store.log.root(size: size, in: txn) }
        let checkpoint = Checkpoint(origin: key.name, size: size, root: root, epoch: try Epoch.at(size: size, in: store))
        return try SignedCheckpoint(signing: checkpoint, with: key).text
    }

    /// A checkpointer signs for a server, so its environment is writable;
    /// read-only tools use `latestStored(in:)`.
    static func open(_ env: Environment) throws -> Database<UInt64, [UInt8]> {
        try env.write { txn in try Database.open("checkpoints", in: txn, create: true)! }
    }
}
