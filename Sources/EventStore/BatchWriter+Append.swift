import AccordCore
import LMDB

extension BatchWriter {
    /// Writes one request's events at `head`; returns its result and the next
    /// free position. When not `isolated` (no nested transaction around
    /// this call), the hook
    /// decides before the events are written, and any failure after the first
    /// write (the hook's or the store's) is `HalfWrittenRequest`, which fails
    /// the whole batch; a failure before it fails the request alone.
    func append(
        _ request: AppendRequest, at head: Position, recordedAt: Timestamp, leaves: inout [PendingLeaf], in txn: borrowing Transaction
    ) throws -> (AppendResult, Position) {
        if let copy = request.copy { return try appendCopy(copy, leafHeads: request.leafHeads, at: head, leaves: &leaves, in: txn) }
        if let stored = request.stored { return try appendStored(stored, at: head, leaves: &leaves, in: txn) }
        if let original = try originalResult(of: request, batchStart: self.head, in: txn) { return (original, head) }
        let layout = log.layout
        let info = try txn.get(layout.streams, request.stream.rawValue)
        let current = info?.lastVersion
        guard request.expected.isSatisfied(by: current) else {
            throw EventStoreError.wrongExpectedVersion(stream: request.stream, expected: request.expected, actual: current)
        }
        let first = current.map { $0 + 1 } ?? 0
        // A loop, not `map`: its closure captured the request, and copied it (a retain per member).
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(request.events.count)
        for offset in request.events.indices {
            let event = request.events[offset]
            recorded.append(
                RecordedEvent(
                    position: head + Position(offset), stream: request.stream, version: first + StreamVersion(offset),
                    eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, occurredAt: event.occurredAt,
                    recordedAt: recordedAt, principal: request.principal))
        }
        var summary: [UInt8]?
        if !isolated, let hook {
            let writesBefore = txn.writeCount
            do {
                summary = try hook.didAppend(recorded, prepared: request.prepared?.value, in: txn, log: log)
            } catch let error as LMDBError where error.failsWholeBatch {
                throw error
            } catch  where txn.writeCount != writesBefore {
                // The hook broke its promise to decide before writing.
                throw HalfWrittenRequest(underlying: error)
            }
        }
        do {
            var previous = info?.lastPosition
            for (index, record) in recorded.enumerated() {
                if merkleTree { leaves.append(PendingLeaf(record, head: request.leafHeads[index])) }
                try txn.put(layout.events, record.position, EventRecord.encode(record, previousInStream: previous), append: true)
                try txn.put(layout.eventIds, EventIDKey(record.eventId), record.position, noOverwrite: true)
                if record.version % StorageLayout.markInterval == 0 {
                    try txn.put(layout.streamMarks, StreamIndexKey(stream: request.stream, version: record.version), record.position)
                }
                previous = record.position
            }
            if isolated { summary = try hook?.didAppend(recorded, prepared: request.prepared?.value, in: txn, log: log) }
            let stored = summary ?? info?.summary ?? []
            guard stored.count <= StreamInfo.maxSummaryBytes else {
                throw EventStoreError.corrupted("an append hook returned a stream summary of \(stored.count) bytes")
            }
            let last = recorded[recorded.count - 1]
            try txn.put(
                layout.streams, request.stream.rawValue, StreamInfo(lastVersion: last.version, lastPosition: last.position, summary: stored)
            )
            // Its leaf hashes are filled in once the commit's tree is grown.
            let next = last.position + 1
            return (AppendResult(positions: head..<next, streamVersion: last.version, recordedAt: recordedAt, wasDuplicate: false), next)
        } catch let error as LMDBError where error.failsWholeBatch {
            throw error
        } catch  where !isolated {
            throw HalfWrittenRequest(underlying: error)
        }
    }

    /// The result of an earlier identical request, `nil` for a new one; throws
    /// `eventIdConflict` when ids were used before for something else.
    func originalResult(of request: AppendRequest, batchStart: Position, in txn: borrowing Transaction) throws -> AppendResult? {
        var originals: [RecordedEvent] = []
        // By index: each lookup needs only the id, and a copy of each event was a retain of its every member.
        for index in request.events.indices {
            guard let original = try log.event(withId: request.events[index].eventId, in: txn) else {
                guard originals.isEmpty else {
                    throw EventStoreError.eventIdConflict(
                        eventId: originals[0].eventId, existingPosition: originals[0].position, sameEvent: true)
                }
                continue
            }
            let follows = originals.last.map { $0.position + 1 == original.position } ?? true
            guard original.hasSameContent(as: request.events[index], in: request.stream) else {
                throw EventStoreError.eventIdConflict(eventId: original.eventId, existingPosition: original.position, sameEvent: false)
            }
            guard index == originals.count, follows else {
                throw EventStoreError.eventIdConflict(eventId: original.eventId, existingPosition: original.position, sameEvent: true)
            }
            originals.append(original)
        }
        guard let first = originals.first, let last = originals.last else { return nil }
        return AppendResult(
            positions: first.position..<last.position + 1, streamVersion: last.version,
            recordedAt: last.recordedAt, wasDuplicate: true,
            // Originals in this batch get their leaf hashes with the batch's (`addReceipts`).
            leafHashes: merkleTree && first.position < batchStart ? try originals.map { try log.leafHash(at: $0.position, in: txn) } : [])
    }
}

/// A request failed after it began writing outside a nested transaction: its
/// writes cannot be undone alone, so the whole batch is abandoned.
struct HalfWrittenRequest: Error, CustomStringConvertible {
    let underlying: any Error

    var description: String { "a request failed after it began writing, so its whole commit was abandoned: \(underlying)" }
}
