import AccordJSON
import EventStore
import WireProtocol

extension AppendResult {
    /// The `append` response line, written directly in canonical member order
    /// (`duplicate`, `positions`, `receipt`, `recordedAt`, `streamVersion`):
    /// the commonest response, so it skips building a `JSONValue` to sort.
    /// Appended to `writer` (a loop's scratch, reused: the response costs no
    /// allocation of its own before its `ByteBuffer`).
    func writeResponse(id: JSONValue, into writer: inout JSONWriter) {
        writer.writeRaw(#"{"id":"#)
        writer.write(id)
        writer.writeRaw(#","ok":true,"result":{"duplicate":"#)
        writer.writeRaw(wasDuplicate ? "true" : "false")
        writer.writeRaw(#","positions":["#)
        for (i, position) in positions.enumerated() {
            if i > 0 { writer.writeRaw(",") }
            writer.write(integer: Int64(position))
        }
        writer.writeRaw(#"],"receipt":{"leafHashes":["#)
        for (i, hash) in leafHashes.enumerated() {
            if i > 0 { writer.writeRaw(",") }
            writer.bytes.append(UInt8(ascii: "\""))
            hash.appendBase64(to: &writer.bytes)
            writer.bytes.append(UInt8(ascii: "\""))
        }
        writer.writeRaw(#"],"treeSize":"#)
        writer.write(integer: Int64(treeSize))
        writer.writeRaw(#"},"recordedAt":"#)
        recordedAt.writeRFC3339(into: &writer)
        writer.writeRaw(#","streamVersion":"#)
        writer.write(integer: Int64(streamVersion))
        writer.writeRaw("}}\n")
    }
}
