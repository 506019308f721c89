import LMDB
import Merkle

/// The Merkle tree's growth within one write transaction: the subtrees that
/// the transaction's events complete, kept in memory and stored as one
/// `merkle` entry at the end (one put per commit, however many events).
///
/// Only leaves of requests that succeeded are appended (see `TreeGrower`).
struct MerkleBatch {
    private(set) var range: CompactRange
    /// The storage index of `pending[0]`.
    let firstIndex: UInt64
    private(set) var pending: [TreeHash] = []

    init(continuing range: CompactRange) {
        self.range = range
        firstIndex = TreeShape.storedCount(size: range.size)
        pending.reserveCapacity(512)
    }

    mutating func append(_ leaf: TreeHash) {
        range.append(leaf) { _, _, hash in pending.append(hash) }
    }

    /// Stores the pending subtrees as one entry keyed by the first one's storage index.
    func write(to db: Database<UInt64, [UInt8]>, in txn: borrowing Transaction) throws {
        guard !pending.isEmpty else { return }
        var blob: [UInt8] = []
        blob.reserveCapacity(pending.count * TreeHash.byteCount)
        for hash in pending { hash.withUnsafeBytes { blob.append(contentsOf: $0) } }
        try txn.put(db, firstIndex, blob, append: true)
    }
}
