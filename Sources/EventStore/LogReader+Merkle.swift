import AccordCore
import AccordJSON
import LMDB
import Merkle

extension LogReader {
    /// The stored hash of the complete subtree `(level, index)`.
    public func subtree(level: Int, index: UInt64, in txn: borrowing Transaction) throws -> TreeHash {
        let wanted = TreeShape.storageIndex(level: level, index: index)
        let hash = try txn.withCursor(layout.merkle) { cursor -> TreeHash? in
            try cursor.seek(atMost: wanted) { key, value -> TreeHash? in
                let offset = Int(wanted - (try UInt64(lmdbBytes: key))) * TreeHash.byteCount
                guard offset + TreeHash.byteCount <= value.count else { return nil }
                return TreeHash(unsafeBytes: UnsafeRawBufferPointer(rebasing: value[offset..<offset + TreeHash.byteCount]))
            } ?? nil
        }
        guard let hash else { throw MerkleError.missingNode(level: level, index: index) }
        return hash
    }

    /// The root of the tree over the first `size` events, as `txn` sees it.
    public func root(size: UInt64, in txn: borrowing Transaction) throws -> TreeHash {
        try ProofBuilder.root(size: size) { level, index in try subtree(level: level, index: index, in: txn) }
    }

    /// The audit path of the event at `index` in the tree of `size`.
    public func inclusionProof(index: Position, size: UInt64, in txn: borrowing Transaction) throws -> [TreeHash] {
        try ProofBuilder.inclusionProof(index: index, size: size) { level, index in try subtree(level: level, index: index, in: txn) }
    }

    /// A proof that the tree of `oldSize` is a prefix of the tree of `newSize`.
    public func consistencyProof(oldSize: UInt64, newSize: UInt64, in txn: borrowing Transaction) throws -> [TreeHash] {
        try ProofBuilder.consistencyProof(oldSize: oldSize, newSize: newSize) { level, index in
            try subtree(level: level, index: index, in: txn)
        }
    }

    /// The leaf hash of the event at `position`.
    public func leafHash(at position: Position, in txn: borrowing Transaction) throws -> TreeHash {
        try subtree(level: 0, index: position, in: txn)
    }

    /// The peaks of the tree over the first `size` events.
    func compactRange(size: UInt64, in txn: borrowing Transaction) throws -> CompactRange {
        let peaks = try TreeShape.peaks(from: 0, to: size).map { try subtree(level: $0.level, index: $0.index, in: txn) }
        return CompactRange(size: size, peaks: peaks)
    }

    /// The number of stored subtrees: the last entry's first number plus its length.
    func storedSubtreeCount(in txn: borrowing Transaction) throws -> UInt64 {
        try txn.withCursor(layout.merkle) { cursor in
            try cursor.last { key, value in try UInt64(lmdbBytes: key) + UInt64(value.count / TreeHash.byteCount) } ?? 0
        }
    }
}
