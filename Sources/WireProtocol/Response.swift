import AccordCore
import AccordJSON

/// Builds the lines the server sends. Every line is one JSON object and `\n`.
public enum Response {
    /// `{"id":…,"ok":true,"result":…}`.
    public static func ok(_ id: JSONValue, _ result: JSONValue) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.writeRaw(#"{"id":"#)
        writer.write(id)
        writer.writeRaw(#","ok":true,"result":"#)
        writer.write(result)
        writer.writeRaw("}\n")
        return writer.bytes
    }

    /// `ping`'s answer, `{"id":…,"ok":true,"result":{"head":N}}`, appended
    /// to `writer`: the commonest query, written without a result to sort.
    public static func writePing(_ id: JSONValue, head: UInt64, into writer: inout JSONWriter) {
        writer.writeRaw(#"{"id":"#)
        writer.write(id)
        writer.writeRaw(#","ok":true,"result":{"head":"#)
        writer.write(integer: Int64(head))
        writer.writeRaw("}}\n")
    }

    /// A success whose result holds already-encoded events (no re-encoding of stored data).
    public static func ok(_ id: JSONValue, _ result: [String: JSONValue], events key: String, _ events: [RecordedEvent]) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + events.count * 512)
        writer.writeRaw(#"{"id":"#)
        writer.write(id)
        writer.writeRaw(#","ok":true,"result":{"#)
        writer.write(string: key)
        writer.writeRaw(":[")
        for (i, event) in events.enumerated() {
            if i > 0 { writer.writeRaw(",") }
            event.writeJSON(into: &writer)
        }
        writer.writeRaw("]")
        for name in result.keys.sorted() {
            writer.writeRaw(",")
            writer.write(string: name)
            writer.writeRaw(":")
            writer.write(result[name]!)
        }
        writer.writeRaw("}}\n")
        return writer.bytes
    }

    /// `{"id":…,"ok":false,"error":{"code":…,"message":…}}`.
    public static func error(_ id: JSONValue, _ error: WireError) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.writeRaw(#"{"id":"#)
        writer.write(id)
        writer.writeRaw(#","ok":false,"error":"#)
        writer.write(error.json)
        writer.writeRaw("}\n")
        return writer.bytes
    }

    /// The first line of every connection.
    public static func info(_ info: [String: JSONValue]) -> [UInt8] {
        line(["info": .object(JSONObject(info))])
    }

    /// Any other pushed line.
    public static func line(_ members: [String: JSONValue]) -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.write(.object(JSONObject(members)))
        writer.bytes.append(0x0A)
        return writer.bytes
    }
}
