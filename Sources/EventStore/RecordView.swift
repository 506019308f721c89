import AccordCore
import AccordJSON
import Foundation
import LMDB

/// A stored event read in place, without copying: for replays that look at a
/// few fields of every event.
///
/// Non-copyable and lent to the closure of a scan (`LogReader.scanRecords`),
/// so it cannot outlive the read that produced it. Its fixed-size fields are
/// copies; its byte fields stay in the map and are reached only inside
/// `withData`/`withStream` closures, or copied out (`streamName`, `decode()`).
public struct RecordView: ~Copyable {
    public let position: Position
    public let version: StreamVersion
    public let eventId: UUID
    public let recordedAt: Timestamp
    public let occurredAt: Timestamp?
    /// The position of the stream's previous event; `nil` for a stream's first.
    public let previousInStream: Position?
    let stream: UnsafeRawBufferPointer
    let type: UnsafeRawBufferPointer
    let principal: UnsafeRawBufferPointer?
    let metadata: UnsafeRawBufferPointer
    let data: UnsafeRawBufferPointer

    /// Reads the fields of a stored record (layout: `EventRecord`) in place.
    init(_ raw: UnsafeRawBufferPointer) throws {
        // Every field is read before any is stored: a non-copyable value is
        // either wholly initialised or not at all.
        var reader = EventRecord.Reader(raw: raw)
        guard try reader.byte() == EventRecord.format else { throw EventStoreError.corrupted("unknown event record format") }
        let position = try reader.u64()
        let version = try reader.u64()
        let eventId = UUID(uuid: try reader.uuid())
        let recordedAt = Timestamp(microseconds: Int64(bitPattern: try reader.u64()))
        let flags = try reader.byte()
        let occurredAt = flags & 1 != 0 ? Timestamp(microseconds: Int64(bitPattern: try reader.u64())) : nil
        let previousInStream = flags & 4 != 0 ? try reader.u64() : nil
        let stream = try reader.slice(lengthBytes: 2)
        let type = try reader.slice(lengthBytes: 2)
        let principal = flags & 2 != 0 ? try reader.slice(lengthBytes: 2) : nil
        let metadata = try reader.slice(lengthBytes: 4)
        let data = try reader.slice(lengthBytes: 4)
        guard reader.offset == raw.count else { throw EventStoreError.corrupted("trailing bytes in event record \(position)") }
        (self.position, self.version, self.eventId, self.recordedAt) = (position, version, eventId, recordedAt)
        (self.occurredAt, self.previousInStream) = (occurredAt, previousInStream)
        (self.stream, self.type, self.principal, self.metadata, self.data) = (stream, type, principal, metadata, data)
    }

    /// The effective time: `occurredAt` when given, else `recordedAt`.
    public var effectiveAt: Timestamp { occurredAt ?? recordedAt }

    /// Whether the type is `name`, without making a string.
    public func hasType(_ name: StaticString) -> Bool {
        type.equals(name)
    }

    /// Whether the event is in a system stream (`$audit` and the like).
    public var isInSystemStream: Bool { stream.first == UInt8(ascii: "$") }

    /// The type's name, copied out.
    public var typeName: String { String(decoding: type, as: UTF8.self) }

    /// The stream's name, copied out.
    public var streamName: String { String(decoding: stream, as: UTF8.self) }

    /// Calls `body` with the canonical JSON bytes of `data`, valid only inside it.
    public func withData<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(data)
    }

    /// The whole event, copied out of the map.
    public func decode() -> RecordedEvent {
        RecordedEvent(
            position: position, stream: StreamName(trusted: String(decoding: stream, as: UTF8.self)), version: version,
            eventId: eventId, type: String(decoding: type, as: UTF8.self), data: CanonicalJSON(trustedBytes: Array(data)),
            metadata: CanonicalJSON(trustedBytes: Array(metadata)), occurredAt: occurredAt, recordedAt: recordedAt,
            principal: principal.map { String(decoding: $0, as: UTF8.self) })
    }
}

extension LogReader {
    /// Visits stored events from `position` as views, until `body` returns `false`.
    public func scanRecords(
        from position: Position? = nil, in txn: borrowing Transaction, _ body: (borrowing RecordView) throws -> Bool
    ) throws {
        var dense = DensePositions(from: position, direction: .forward)
        try txn.scanRaw(layout.events, from: position) { key, value in
            let record = try RecordView(value)
            try dense.check(key: key, record.position)
            return try body(record)
        }
    }
}
