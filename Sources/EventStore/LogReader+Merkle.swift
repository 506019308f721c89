import AccordJSON
import LMDB
import Merkle

extension LogReader {
    /// The stored hash of the complete subtree `(level, index)`.
    public func subtree(level: Int, index: UInt64, in txn: Transaction) throws -> TreeHash {
        let wanted = TreeShape.storageIndex(level: level, index: index)
        let hash = try txn.withCursor(layout.merkle) { cursor -> TreeHash? in
            guard let entry = try cursor.seek(atMost: wanted) else { return nil }
            let offset = Int(wanted - (try UInt64(lmdbBytes: entry.key))) * TreeHash.byteCount
            guard offset + TreeHash.byteCount <= entry.value.count else { return nil }
            return TreeHash(unsafeBytes: UnsafeRawBufferPointer(rebasing: entry.value[offset..<offset + TreeHash.byteCount]))
        }
        guard let hash else { throw MerkleError.missingNode(level: level, index: index) }
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

    /// The number of stored subtrees: the last entry's first number plus its length.
    func storedSubtreeCount(in txn: Transaction) throws -> UInt64 {
        try txn.withCursor(layout.merkle) { cursor in
            guard let last = try cursor.last() else { return 0 }
            return try UInt64(lmdbBytes: last.key) + UInt64(last.value.count / TreeHash.byteCount)
        }
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
