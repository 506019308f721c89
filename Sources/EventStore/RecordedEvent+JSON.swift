import AccordJSON

extension RecordedEvent {
    /// Writes the event as one canonical JSON object (keys sorted, `data` and
    /// `metadata` copied from storage byte-for-byte):
    /// `{"data":{…},"eventId":"…","metadata":{…},"occurredAt":"…","position":N,
    /// "principal":"…","recordedAt":"…","stream":"…","type":"…","version":N}`.
    /// `occurredAt` and `principal` are omitted when absent.
    public func writeJSON(into writer: inout JSONWriter) {
        writer.writeRaw(#"{"data":"#)
        writer.writeRaw(data.bytes)
        writer.writeRaw(#","eventId":"#)
        writer.write(string: eventId.uuidString.lowercased())
        writer.writeRaw(#","metadata":"#)
        writer.writeRaw(metadata.bytes)
        if let occurredAt {
            writer.writeRaw(#","occurredAt":"#)
            writer.write(string: occurredAt.rfc3339)
        }
        writer.writeRaw(#","position":"#)
        writer.write(integer: Int64(position))
        if let principal {
            writer.writeRaw(#","principal":"#)
            writer.write(string: principal)
        }
        writer.writeRaw(#","recordedAt":"#)
        writer.write(string: recordedAt.rfc3339)
        writer.writeRaw(#","stream":"#)
        writer.write(string: stream.rawValue)
        writer.writeRaw(#","type":"#)
        writer.write(string: type)
        writer.writeRaw(#","version":"#)
        writer.write(integer: Int64(version))
        writer.writeRaw("}")
    }

    /// The event as canonical JSON bytes (see `writeJSON(into:)`).
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: data.bytes.count + 256)
        writeJSON(into: &writer)
        return writer.bytes
    }
}
