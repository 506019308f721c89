import AccordJSON
import Foundation

extension RecordedEvent {
    /// Writes the event as one canonical JSON object (see `JSONWriter.writeEvent`).
    public func writeJSON(into writer: inout JSONWriter) {
        writer.writeEvent(
            data: data.bytes, eventId: eventId, metadata: metadata.bytes, occurredAt: occurredAt, position: position,
            principal: principal?.utf8, recordedAt: recordedAt, stream: stream.rawValue.utf8, type: type.utf8, version: version)
    }

    /// The event as canonical JSON bytes: its Merkle tree entry.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: data.bytes.count + 256)
        writeJSON(into: &writer)
        return writer.bytes
    }
}

extension JSONWriter {
    /// A recorded event as one canonical JSON object (keys sorted, `data` and
    /// `metadata` copied from storage byte-for-byte):
    /// `{"data":{…},"eventId":"…","metadata":{…},"occurredAt":"…","position":N,
    /// "principal":"…","recordedAt":"…","stream":"…","type":"…","version":N}`.
    /// `occurredAt` and `principal` are omitted when absent. These bytes are the
    /// event's entry in the Merkle tree (`protocol/transparency.md`), so this is
    /// the one place they are produced.
    public mutating func writeEvent<
        D: Collection<UInt8>, M: Collection<UInt8>, P: Collection<UInt8>, S: Collection<UInt8>, T: Collection<UInt8>
    >(
        data: D, eventId: UUID, metadata: M, occurredAt: Timestamp?, position: Position, principal: P?,
        recordedAt: Timestamp, stream: S, type: T, version: StreamVersion
    ) {
        writeEventHead(data: data, eventId: eventId, metadata: metadata, occurredAt: occurredAt)
        writeEventTail(position: position, principal: principal, recordedAt: recordedAt, stream: stream, type: type, version: version)
    }

    /// The members a client chose (`data` … `occurredAt`), which sort first:
    /// the writer hashes them before the event reaches the single writer.
    public mutating func writeEventHead<D: Collection<UInt8>, M: Collection<UInt8>>(
        data: D, eventId: UUID, metadata: M, occurredAt: Timestamp?
    ) {
        writeEventHead(eventId: eventId, occurredAt: occurredAt) { writer, member in
            switch member {
            case .data: writer.writeRaw(data)
            case .metadata: writer.writeRaw(metadata)
            }
        }
    }

    /// The stored JSON objects of an event's head.
    public enum EventHeadMember: Sendable {
        case data
        case metadata
    }

    /// The head's bytes, with `data` and `metadata` written by `stored`: the
    /// one place the head's layout is written. `stored` may instead take the
    /// bytes written so far and clear them, as a leaf hash does to hash the
    /// stored objects where they lie (`NewEvent.leafHead`).
    public mutating func writeEventHead(
        eventId: UUID, occurredAt: Timestamp?, stored: (inout JSONWriter, EventHeadMember) -> Void
    ) {
        writeRaw(#"{"data":"#)
        stored(&self, .data)
        writeRaw(#","eventId":""#)
        eventId.appendLowercaseText(to: &bytes)
        writeRaw(#"","metadata":"#)
        stored(&self, .metadata)
        if let occurredAt {
            writeRaw(#","occurredAt":"#)
            occurredAt.writeRFC3339(into: &self)
        }
    }

    /// The members the commit decides (`position` … `version`), and the closing brace.
    public mutating func writeEventTail<P: Collection<UInt8>, S: Collection<UInt8>, T: Collection<UInt8>>(
        position: Position, principal: P?, recordedAt: Timestamp, stream: S, type: T, version: StreamVersion
    ) {
        writeEventTail(position: position, principal: principal, stream: stream, type: type, version: version) {
            recordedAt.writeRFC3339(into: &$0)
        }
    }

    /// The tail with `recordedAt` written by `writeRecordedAt` (the commit
    /// writes the batch's one time once and copies it).
    public mutating func writeEventTail<P: Collection<UInt8>, S: Collection<UInt8>, T: Collection<UInt8>>(
        position: Position, principal: P?, stream: S, type: T, version: StreamVersion, writeRecordedAt: (inout JSONWriter) -> Void
    ) {
        writeRaw(#","position":"#)
        write(integer: Int64(position))
        if let principal {
            writeRaw(#","principal":"#)
            write(utf8: principal)
        }
        writeRaw(#","recordedAt":"#)
        writeRecordedAt(&self)
        writeRaw(#","stream":"#)
        write(utf8: stream)
        writeRaw(#","type":"#)
        write(utf8: type)
        writeRaw(#","version":"#)
        write(integer: Int64(version))
        writeRaw("}")
    }
}
