import LMDB
import Merkle

/// The Merkle tree's growth within one write transaction: the subtrees that
/// the transaction's events complete, kept in memory and stored as one
/// `merkle` entry at the end (one put per commit, however many events).
///
/// A request that fails inside the batch is undone with `mark`/`reset`.
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

    /// The state to return to if the next request fails.
    var mark: (CompactRange, Int) { (range, pending.count) }

    mutating func reset(to mark: (CompactRange, Int)) {
        range = mark.0
        pending.removeSubrange(mark.1...)
    }

    /// The leaf hash of an event appended earlier in this batch.
    func leaf(at position: Position) -> TreeHash? {
        let index = TreeShape.storageIndex(level: 0, index: position)
        guard index >= firstIndex, index - firstIndex < UInt64(pending.count) else { return nil }
        return pending[Int(index - firstIndex)]
    }

    /// Stores the pending subtrees as one entry keyed by the first one's storage index.
    func write(to db: Database<UInt64, [UInt8]>, in txn: Transaction) throws {
        guard !pending.isEmpty else { return }
        var blob: [UInt8] = []
        blob.reserveCapacity(pending.count * TreeHash.byteCount)
        for hash in pending { hash.withUnsafeBytes { blob.append(contentsOf: $0) } }
        try txn.put(db, firstIndex, blob, append: true)
    }
}
