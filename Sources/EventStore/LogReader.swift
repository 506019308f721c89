import AccordCore
import AccordJSON
import Foundation
import LMDB

/// Reads the event log inside a caller's transaction.
///
/// `EventStore` wraps these in read transactions of its own; append hooks use
/// them directly inside the write transaction, where they also see the
/// request's own, not yet committed, events.
public struct LogReader: Sendable {
    let layout: StorageLayout

    /// The log's length in `txn`: events occupy positions `0..<head`.
    public func head(in txn: borrowing Transaction) throws -> Position {
        try txn.last(layout.events).map { $0.0 + 1 } ?? 0
    }

    /// The event at `position`, or `nil` past the head.
    public func event(at position: Position, in txn: borrowing Transaction) throws -> RecordedEvent? {
        try txn.withValue(layout.events, position) { raw in
            let record = try RecordView(raw)
            guard record.position == position else {
                throw EventStoreError.corrupted("the record stored at key \(position) says it is at \(record.position)")
            }
            return record.decode()
        }
    }

    /// The event appended under `eventId`, or `nil`.
    public func event(withId eventId: UUID, in txn: borrowing Transaction) throws -> RecordedEvent? {
        guard let position = try txn.get(layout.eventIds, EventIDKey(eventId)) else { return nil }
        return try event(at: position, in: txn)
    }

    /// Opens the log's databases in `environment` (creating them in a writable
    /// one), for code that reads the log before or beside an `EventStore`.
    public static func open(_ environment: Environment) throws -> LogReader {
        LogReader(layout: try StorageLayout.open(environment))
    }

    /// The stream's last version and position and its hook summary, or `nil` for an empty stream.
    public func streamState(
        _ stream: String, in txn: borrowing Transaction
    ) throws -> (version: StreamVersion, position: Position, summary: [UInt8])? {
        try txn.get(layout.streams, stream).map { ($0.lastVersion, $0.lastPosition, $0.summary) }
    }

    /// Replaces a stream's hook summary. For hooks that rebuild their state
    /// from the log, with no appends in flight.
    public func setSummary(_ summary: [UInt8], of stream: String, in txn: borrowing Transaction) throws {
        guard var info = try txn.get(layout.streams, stream) else { return }
        guard summary.count <= StreamInfo.maxSummaryBytes else {
            throw EventStoreError.invalidRequest("a stream summary is at most 255 bytes")
        }
        info.summary = summary
        try txn.put(layout.streams, stream, info)
    }

    /// The version of the stream's last event, or `nil` if it has none.
    public func streamVersion(_ stream: StreamName, in txn: borrowing Transaction) throws -> StreamVersion? {
        try txn.get(layout.streams, stream.rawValue)?.lastVersion
    }

    /// Up to `limit` events of one stream from `version` (inclusive; `nil` starts
    /// at the first event forwards or the last backwards), stopping after
    /// the event that brings them to `maxBytes` (so always at least one).
    public func readStream(
        _ stream: StreamName, from version: StreamVersion? = nil, direction: ScanDirection = .forward,
        limit: Int, maxBytes: Int = .max, in txn: borrowing Transaction
    ) throws -> [RecordedEvent] {
        guard limit > 0, let info = try txn.get(layout.streams, stream.rawValue) else { return [] }
        let span = StreamVersion(limit - 1)
        let positions: [Position]
        switch direction {
        case .forward:
            let low = version ?? 0
            guard low <= info.lastVersion else { return [] }
            let high = info.lastVersion - low > span ? low + span : info.lastVersion
            positions = try chain(of: stream, info, from: high, downTo: low, in: txn).reversed()
        case .backward:
            let high = min(version ?? info.lastVersion, info.lastVersion)
            positions = try chain(of: stream, info, from: high, downTo: high > span ? high - span : 0, in: txn)
        }
        var events: [RecordedEvent] = []
        var bytes = 0
        for position in positions where bytes < maxBytes {
            guard let event = try event(at: position, in: txn) else {
                throw EventStoreError.corrupted("stream \(stream) links to missing position \(position)")
            }
            bytes += event.approximateBytes
            events.append(event)
        }
        return events
    }

    /// The positions of versions `high` down to `low` of a stream, walking its
    /// chain from the nearest mark at or above `high` (at most 1023 extra steps).
    private func chain(
        of stream: StreamName, _ info: StreamInfo, from high: StreamVersion, downTo low: StreamVersion, in txn: borrowing Transaction
    ) throws -> [Position] {
        var version = info.lastVersion
        var position = info.lastPosition
        let interval = StorageLayout.markInterval
        let mark = (high + interval - 1) / interval * interval
        if mark < version, let marked = try txn.get(layout.streamMarks, StreamIndexKey(stream: stream, version: mark)) {
            (version, position) = (mark, marked)
        }
        var positions: [Position] = []
        positions.reserveCapacity(Int(high - low) + 1)
        while true {
            let link = try txn.withValue(layout.events, position) { raw in
                let view = try RecordView(raw)
                return (version: view.version, previous: view.previousInStream)
            }
            guard let link else { throw EventStoreError.corrupted("stream \(stream) links to missing position \(position)") }
            guard link.version == version else {
                throw EventStoreError.corrupted("stream \(stream) expected version \(version) at position \(position)")
            }
            if version <= high { positions.append(position) }
            if version == low { return positions }
            guard let previous = link.previous else {
                throw EventStoreError.corrupted("stream \(stream) chain ends early at version \(version)")
            }
            position = previous
            version -= 1
        }
    }

    /// Visits the global log from `position` (inclusive; `nil` for the first or
    /// last event) until `body` returns `false`. With `types`, only events of
    /// those types are decoded and visited.
    public func scan(
        from position: Position? = nil, direction: ScanDirection = .forward, types: Set<String>? = nil,
        in txn: borrowing Transaction, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        let typeFilter = types.map { $0.map { Array($0.utf8) } }
        var dense = DensePositions(from: position, direction: direction)
        try txn.scanRaw(layout.events, from: position, direction: direction) { key, value in
            let record = try RecordView(value)
            try dense.check(key: key, record.position)
            if let typeFilter {
                guard typeFilter.contains(where: { $0.elementsEqual(record.type) }) else { return true }
            }
            return try body(record.decode())
        }
    }

    /// Up to `limit` events of the global log, like `scan`.
    public func readAll(
        from position: Position? = nil, direction: ScanDirection = .forward, types: Set<String>? = nil,
        limit: Int, in txn: borrowing Transaction
    ) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        guard limit > 0 else { return events }
        try scan(from: position, direction: direction, types: types, in: txn) { event in
            events.append(event)
            return events.count < limit
        }
        return events
    }

    /// The key in `meta` of the log length the append hook has processed.
    static let hookHeadKey = "hook_head"

    /// The log length whose events the append hook (the projections) has
    /// processed: the store writes it in every commit it runs the hook in,
    /// so it falls behind the head only when events were appended without
    /// the hook. `0` when no hook ever ran.
    public func hookHead(in txn: borrowing Transaction) throws -> Position {
        try txn.get(layout.meta, Self.hookHeadKey) ?? 0
    }

    /// Records that the hook's state reflects the log up to `position` (after a rebuild).
    public func setHookHead(_ position: Position, in txn: borrowing Transaction) throws {
        try txn.put(layout.meta, Self.hookHeadKey, position)
    }

    /// The number of streams with at least one event.
    public func streamCount(in txn: borrowing Transaction) throws -> Int {
        try txn.count(layout.streams)
    }
}

/// Positions as a scan of the log must meet them: each key its record's
/// position, dense and in order from where the scan began. A damaged index
/// page shows as a jump, a repeat or a key that is not its record's; every
/// reader then fails loudly (`corrupted`, reported as `damaged`) rather
/// than skip or repeat events.
struct DensePositions {
    private var expected: Position?
    private let forward: Bool

    init(from position: Position?, direction: ScanDirection) {
        forward = direction == .forward
        expected = position ?? (forward ? 0 : nil)
    }

    mutating func check(key: UnsafeRawBufferPointer, _ position: Position) throws {
        guard (try? UInt64(lmdbBytes: key)) == position else {
            throw EventStoreError.corrupted(
                "the record stored at key \((try? UInt64(lmdbBytes: key)).map(String.init) ?? "?") says it is at \(position)")
        }
        if let expected, expected != position {
            throw EventStoreError.corrupted("the log's index gives position \(position) where \(expected) should be: it is damaged")
        }
        expected = forward ? position + 1 : (position > 0 ? position - 1 : nil)
    }
}
