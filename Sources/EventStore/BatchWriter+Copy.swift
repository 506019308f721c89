import AccordCore
import LMDB
import Merkle

extension BatchWriter {
    /// Writes a copy request's events at `head`, run by run (each run one
    /// stream's consecutive events, as the hook expects), with one `streams`
    /// entry written per stream. The whole copy is one request: it is written
    /// entirely or not at all (a failure after its first write fails the
    /// batch, outside a nested transaction).
    func appendCopy(
        _ copy: CopyOrigin, leafHeads: [LeafHasher], at head: Position, leaves: inout [PendingLeaf], in txn: borrowing Transaction
    ) throws -> (AppendResult, Position) {
        let events = copy.events
        guard let first = events.first, first.position == head else {
            throw EventStoreError.invalidRequest("copied events start at position \(events.first?.position ?? 0), not at the head \(head)")
        }
        let layout = log.layout
        var streams: [StreamName: StreamInfo] = [:]
        var wrote = false
        do {
            for (run, start) in copy.runStarts.enumerated() {
                let end = run + 1 < copy.runStarts.count ? copy.runStarts[run + 1] : events.count
                let stream = events[start].stream
                let info = try streams[stream] ?? txn.get(layout.streams, stream.rawValue)
                let next = info.map { $0.lastVersion + 1 } ?? 0
                guard events[start].version == next else {
                    throw EventStoreError.invalidRequest(
                        "a copied event of \(stream) has version \(events[start].version), but the stream's next is \(next)")
                }
                var summary: [UInt8]?
                if copy.projecting, let hook {
                    let writesBefore = txn.writeCount
                    do {
                        summary = try hook.didCopy(Array(events[start..<end]), in: txn, log: log)
                    } catch  where !isolated && txn.writeCount != writesBefore {
                        throw HalfWrittenRequest(underlying: error)
                    }
                }
                var previous = info?.lastPosition
                for index in start..<end {
                    let record = events[index]
                    wrote = true
                    if merkleTree { leaves.append(PendingLeaf(record, head: leafHeads[index], ownRecordedAt: true)) }
                    try txn.put(layout.events, record.position, EventRecord.encode(record, previousInStream: previous), append: true)
                    try txn.put(layout.eventIds, EventIDKey(record.eventId), record.position, noOverwrite: true)
                    if record.version % StorageLayout.markInterval == 0 {
                        try txn.put(layout.streamMarks, StreamIndexKey(stream: stream, version: record.version), record.position)
                    }
                    previous = record.position
                }
                let last = events[end - 1]
                let kept = summary ?? info?.summary ?? []
                guard kept.count <= StreamInfo.maxSummaryBytes else {
                    throw EventStoreError.corrupted("an append hook returned a stream summary of \(kept.count) bytes")
                }
                streams[stream] = StreamInfo(lastVersion: last.version, lastPosition: last.position, summary: kept)
            }
            for (stream, info) in streams { try txn.put(layout.streams, stream.rawValue, info) }
        } catch let error as LMDBError where error.failsWholeBatch {
            throw error
        } catch let error as HalfWrittenRequest {
            throw error
        } catch  where wrote && !isolated {
            throw HalfWrittenRequest(underlying: error)
        }
        let last = events[events.count - 1]
        let nextHead = last.position + 1
        return (
            AppendResult(positions: head..<nextHead, streamVersion: last.version, recordedAt: last.recordedAt, wasDuplicate: false),
            nextHead
        )
    }
}
