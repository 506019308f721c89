import LMDB

/// A stored event read in place, without copying: for replays that look at a
/// few fields of every event. Valid only inside the scan that produced it.
public struct RecordView {
    let raw: UnsafeRawBufferPointer
    public let position: Position
    public let version: StreamVersion
    public let recordedAt: Timestamp
    public let occurredAt: Timestamp?
    /// The stream name's UTF-8 bytes.
    public let stream: UnsafeRawBufferPointer
    /// The event type's UTF-8 bytes.
    public let type: UnsafeRawBufferPointer
    /// The canonical JSON bytes of `data`.
    public let data: UnsafeRawBufferPointer

    init(_ raw: UnsafeRawBufferPointer) throws {
        self.raw = raw
        var reader = EventRecord.Reader(raw: raw)
        reader.offset = 1
        position = try reader.u64()
        version = try reader.u64()
        reader.offset += 16
        recordedAt = Timestamp(microseconds: Int64(bitPattern: try reader.u64()))
        let flags = try reader.byte()
        occurredAt = flags & 1 != 0 ? Timestamp(microseconds: Int64(bitPattern: try reader.u64())) : nil
        if flags & 4 != 0 { reader.offset += 8 }
        stream = try reader.slice(lengthBytes: 2)
        type = try reader.slice(lengthBytes: 2)
        if flags & 2 != 0 { _ = try reader.slice(lengthBytes: 2) }
        _ = try reader.slice(lengthBytes: 4)
        data = try reader.slice(lengthBytes: 4)
    }

    /// The effective time: `occurredAt` when given, else `recordedAt`.
    public var effectiveAt: Timestamp { occurredAt ?? recordedAt }

    /// Whether the type is `name`, without making a string.
    public func hasType(_ name: StaticString) -> Bool {
        type.elementsEqual(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// The whole event, decoded.
    public func decode() throws -> RecordedEvent { try EventRecord.decode(raw) }
}

extension LogReader {
    /// Visits stored events from `position` as views, until `body` returns `false`.
    public func scanRecords(from position: Position? = nil, in txn: Transaction, _ body: (RecordView) throws -> Bool) throws {
        try txn.scanRaw(layout.events, from: position) { _, value in try body(RecordView(value)) }
    }
}
