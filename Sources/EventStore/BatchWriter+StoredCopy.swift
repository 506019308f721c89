import AccordCore
import LMDB

extension BatchWriter {
    /// Writes a copy of stored records at `head`, each as it is, after
    /// checking that it continues its stream (its version the stream's next,
    /// its previous-in-stream the stream's last event); one `streams` entry
    /// per stream. The hook is skipped (`AppendRequest.skipsHook`). Written
    /// entirely or not at all, like `appendCopy`.
    func appendStored(
        _ copy: StoredCopy, at head: Position, leaves: inout [PendingLeaf], in txn: borrowing Transaction
    ) throws -> (AppendResult, Position) {
        guard let first = copy.entries.first, first.position == head else {
            throw EventStoreError.invalidRequest(
                "copied records start at position \(copy.entries.first?.position ?? 0), not at the head \(head)")
        }
        let layout = log.layout
        var streams: [StreamName: StreamInfo] = [:]
        var wrote = false
        do {
            try copy.bytes.withUnsafeBytes { raw in
                for (index, entry) in copy.entries.enumerated() {
                    let info = try streams[entry.stream] ?? txn.get(layout.streams, entry.stream.rawValue)
                    guard entry.version == info.map({ $0.lastVersion + 1 }) ?? 0, entry.previousInStream == info?.lastPosition else {
                        throw EventStoreError.invalidRequest(
                            "the copied record at position \(entry.position) does not continue \(entry.stream) (version \(entry.version))")
                    }
                    if merkleTree { leaves.append(PendingLeaf(finished: copy.leaves[index])) }
                    wrote = true
                    try txn.put(layout.events, entry.position, bytes: UnsafeRawBufferPointer(rebasing: raw[entry.range]), append: true)
                    try txn.put(layout.eventIds, EventIDKey(entry.eventId), entry.position, noOverwrite: true)
                    if entry.version % StorageLayout.markInterval == 0 {
                        try txn.put(layout.streamMarks, StreamIndexKey(stream: entry.stream, version: entry.version), entry.position)
                    }
                    streams[entry.stream] = StreamInfo(
                        lastVersion: entry.version, lastPosition: entry.position, summary: info?.summary ?? [])
                }
            }
            for (stream, info) in streams { try txn.put(layout.streams, stream.rawValue, info) }
        } catch let error as LMDBError where error.failsWholeBatch {
            throw error
        } catch  where wrote && !isolated {
            throw HalfWrittenRequest(underlying: error)
        }
        let last = copy.entries[copy.entries.count - 1]
        let nextHead = last.position + 1
        return (
            AppendResult(positions: head..<nextHead, streamVersion: last.version, recordedAt: last.recordedAt, wasDuplicate: false),
            nextHead
        )
    }
}
