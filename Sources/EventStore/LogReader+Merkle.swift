import AccordJSON
import LMDB
import Merkle

extension LogReader {
    /// The stored hash of the complete subtree `(level, index)`.
    public func subtree(level: Int, index: UInt64, in txn: Transaction) throws -> TreeHash {
        guard let hash = try txn.get(layout.merkle, TreeShape.storageIndex(level: level, index: index)) else {
            throw MerkleError.missingNode(level: level, index: index)
        }
        return hash
    }

    /// Builds proofs from the tree as `txn` sees it; valid while `txn` is open.
    public func proofs(in txn: Transaction) -> ProofBuilder {
        ProofBuilder { level, index in try subtree(level: level, index: index, in: txn) }
    }

    /// The leaf hash of the event at `position`.
    public func leafHash(at position: Position, in txn: Transaction) throws -> TreeHash {
        try subtree(level: 0, index: position, in: txn)
    }

    /// The peaks of the tree over the first `size` events.
    func compactRange(size: UInt64, in txn: Transaction) throws -> CompactRange {
        let peaks = try TreeShape.peaks(from: 0, to: size).map { try subtree(level: $0.level, index: $0.index, in: txn) }
        return CompactRange(size: size, peaks: peaks)
    }

    /// The number of stored subtrees.
    func storedSubtreeCount(in txn: Transaction) throws -> UInt64 {
        UInt64(try txn.count(layout.merkle))
    }
}

extension RecordView {
    /// RFC 6962 leaf hash of this event: SHA-256(0x00 ‖ canonical JSON).
    public func leafHash(using writer: inout JSONWriter) -> TreeHash {
        writer.bytes.removeAll(keepingCapacity: true)
        writeJSON(into: &writer)
        return writer.bytes.withUnsafeBytes { RFC6962.leafHash($0) }
    }
}

extension CompactRange {
    /// Appends `leaf` and stores every subtree it completes.
    mutating func append(_ leaf: TreeHash, storingIn db: Database<UInt64, TreeHash>, txn: Transaction) throws {
        try append(leaf) { level, index, hash in
            try txn.put(db, TreeShape.storageIndex(level: level, index: index), hash, append: true)
        }
    }
}
