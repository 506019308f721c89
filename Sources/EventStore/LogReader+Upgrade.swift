import AccordJSON
import LMDB
import Logging
import Merkle

extension LogReader {
    /// Upgrades a format-1 log (no Merkle tree) in place: hashes every event
    /// into the tree, in write transactions of `chunk` events, then stamps
    /// the current format. Safe to interrupt: it resumes from the subtrees already stored.
    static func addMerkleTree(_ env: Environment, layout: StorageLayout, chunk: Int = 16_384, logger: Logger) throws {
        let log = LogReader(layout: layout)
        var writer = JSONWriter(capacity: 4_096)
        let head = try env.read { try log.head(in: $0) }
        logger.notice("adding a Merkle tree to a format-1 log", metadata: ["events": "\(head)"])
        var done = false
        while !done {
            try env.write { txn in
                var batch = MerkleBatch(continuing: try log.compactRange(size: try log.resumableSize(in: txn), in: txn))
                var count = 0
                try log.scanRecords(from: batch.range.size, in: txn) { record in
                    batch.append(record.leafHash(using: &writer))
                    count += 1
                    return count < chunk
                }
                try batch.write(to: layout.merkle, in: txn)
                let tree = batch.range
                done = tree.size == head
                if done { try txn.put(layout.meta, "format", StorageLayout.formatVersion) }
                logger.notice("adding a Merkle tree", metadata: ["done": "\(tree.size)", "total": "\(head)"])
            }
        }
    }

    /// The number of leaves whose subtrees are all stored (chunks always end
    /// with a leaf's subtrees complete, so the count determines the size).
    private func resumableSize(in txn: borrowing Transaction) throws -> UInt64 {
        let stored = try storedSubtreeCount(in: txn)
        var low: UInt64 = 0
        var high = stored
        while low < high {
            let mid = (low + high + 1) / 2
            if TreeShape.storedCount(size: mid) <= stored { low = mid } else { high = mid - 1 }
        }
        guard TreeShape.storedCount(size: low) == stored else {
            throw EventStoreError.corrupted("the Merkle tree holds \(stored) subtrees, which no tree size has")
        }
        return low
    }
}
