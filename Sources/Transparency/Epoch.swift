import AccordCore
import EventStore
import LMDB

/// A log's epoch: 1, plus one for every promotion it records (a
/// `replica_promoted` event in `$replication`, appended by `accord promote`).
/// The epoch of a log prefix is a pure function of its events, so a signed
/// checkpoint carries the epoch of exactly the events it covers, and every
/// verifier can recompute it. A primary of an older epoch than a peer's has
/// been superseded: it must take no more writes (ops/replication.md).
public enum Epoch {
    /// The reserved stream promotions are recorded in, written by `accord promote` only.
    public static let stream = try! StreamName("$replication")
    public static let promotionType = "replica_promoted"

    /// The epoch of the log's first `size` events.
    public static func at(size: UInt64, in store: EventStore) throws -> UInt64 {
        try store.read { txn in try at(size: size, log: store.log, in: txn) }
    }

    /// The same inside a transaction.
    public static func at(size: UInt64, log: LogReader, in txn: borrowing Transaction) throws -> UInt64 {
        let promotions = try log.readStream(stream, limit: 10_000, in: txn)
        return 1 + UInt64(promotions.filter { $0.type == promotionType && $0.position < size }.count)
    }
}
