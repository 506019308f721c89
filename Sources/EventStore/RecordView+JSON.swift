import AccordCore
import AccordJSON
import Merkle

extension RecordView {
    /// Writes the stored event as one canonical JSON object, byte for byte what
    /// `RecordedEvent.writeJSON` writes for it.
    public func writeJSON(into writer: inout JSONWriter) {
        writer.writeEvent(
            data: data, eventId: eventId, metadata: metadata, occurredAt: occurredAt, position: position,
            principal: principal, recordedAt: recordedAt, stream: stream, type: type, version: version)
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
