import AccordJSON
import Foundation
import LMDB

/// A stored event read in place, without copying: for replays that look at a
/// few fields of every event. Valid only inside the scan that produced it.
public struct RecordView {
    public let position: Position
    public let version: StreamVersion
    public let eventId: UUID
    public let recordedAt: Timestamp
    public let occurredAt: Timestamp?
    /// The position of the stream's previous event; `nil` for a stream's first.
    public let previousInStream: Position?
    /// The stream name's UTF-8 bytes.
    public let stream: UnsafeRawBufferPointer
    /// The event type's UTF-8 bytes.
    public let type: UnsafeRawBufferPointer
    /// The principal's UTF-8 bytes, when one was stored.
    public let principal: UnsafeRawBufferPointer?
    /// The canonical JSON bytes of `metadata`.
    public let metadata: UnsafeRawBufferPointer
    /// The canonical JSON bytes of `data`.
    public let data: UnsafeRawBufferPointer

    /// Reads the fields of a stored record (layout: `EventRecord`) in place.
    init(_ raw: UnsafeRawBufferPointer) throws {
        var reader = EventRecord.Reader(raw: raw)
        guard try reader.byte() == EventRecord.format else { throw EventStoreError.corrupted("unknown event record format") }
        position = try reader.u64()
        version = try reader.u64()
        eventId = UUID(uuid: try reader.uuid())
        recordedAt = Timestamp(microseconds: Int64(bitPattern: try reader.u64()))
        let flags = try reader.byte()
        occurredAt = flags & 1 != 0 ? Timestamp(microseconds: Int64(bitPattern: try reader.u64())) : nil
        previousInStream = flags & 4 != 0 ? try reader.u64() : nil
        stream = try reader.slice(lengthBytes: 2)
        type = try reader.slice(lengthBytes: 2)
        principal = flags & 2 != 0 ? try reader.slice(lengthBytes: 2) : nil
        metadata = try reader.slice(lengthBytes: 4)
        data = try reader.slice(lengthBytes: 4)
        guard reader.offset == raw.count else { throw EventStoreError.corrupted("trailing bytes in event record \(position)") }
    }

    /// The effective time: `occurredAt` when given, else `recordedAt`.
    public var effectiveAt: Timestamp { occurredAt ?? recordedAt }

    /// Whether the type is `name`, without making a string.
    public func hasType(_ name: StaticString) -> Bool {
        type.elementsEqual(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
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
    public func scanRecords(from position: Position? = nil, in txn: Transaction, _ body: (RecordView) throws -> Bool) throws {
        try txn.scanRaw(layout.events, from: position) { _, value in try body(RecordView(value)) }
    }
}
