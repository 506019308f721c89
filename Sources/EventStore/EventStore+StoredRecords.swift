import AccordCore
import LMDB

extension EventStore {
    /// The stored records from `from` on, as they are on disk: at most
    /// `limit`, and no more frames than `maxBytes` (but at least one record
    /// when there is one). Returns them with how many and the position after
    /// the last (`from` when there are none).
    public func storedRecords(from: Position, limit: Int, maxBytes: Int) throws -> (records: StoredRecords, count: Int, next: Position) {
        var records = StoredRecords(framed: [])
        records.framed.reserveCapacity(min(maxBytes, 16 << 20) + 4_096)
        var count = 0
        try read { txn in
            var dense = DensePositions(from: from, direction: .forward)
            try txn.scanRaw(log.layout.events, from: from) { key, value in
                guard count == 0 || records.framed.count + 4 + value.count <= maxBytes else { return false }
                try dense.check(key: key, try RecordView(value).position)
                records.append(value)
                count += 1
                return count < limit
            }
        }
        return (records, count, from + Position(count))
    }

    /// Writes records another log stored (read there by `storedRecords`) at
    /// the head, as they are: a replica's bulk catch-up. Returns the head
    /// after them.
    ///
    /// The records must continue this log (the first at the head, each
    /// stream's at its next version, naming its stream's previous event) and
    /// their event ids must be new; they are one request, written whole or
    /// not at all, in the next group commit. Each record's Merkle leaf is
    /// hashed here from its canonical JSON, as for any event. Like
    /// `copy(_:projecting: false)`, the append hook neither checks nor
    /// projects them: the projections stay behind until rebuilt
    /// (`Registry.attach`).
    public func copy(_ records: StoredRecords) async throws -> Position {
        try await copy(try prepareCopy(records))
    }

    /// Checks and hashes records for `copy(_:)` on the calling task, so a
    /// copier can prepare the next page while the writer writes this one.
    public func prepareCopy(_ records: StoredRecords) throws -> StoredCopy {
        try StoredCopy(records, hashing: hasMerkleTree)
    }

    /// Writes records `prepareCopy` checked, as `copy(_:)` does.
    public func copy(_ stored: StoredCopy) async throws -> Position {
        guard let first = stored.entries.first else { return head }
        var request = AppendRequest(stream: first.stream, expected: .any, events: [], principal: nil)
        request.stored = stored
        let result: AppendResult = try await withCheckedThrowingContinuation { continuation in
            committer.submit(PendingAppend(request: request, executor: nil) { continuation.resume(with: $0) })
        }
        try await waitUntilReadable(result.positions.upperBound)
        return result.positions.upperBound
    }
}
