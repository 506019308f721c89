import AccordCore
import AccordJSON

/// The lines a server pushes for subscriptions and watches. Each begins
/// with its kind and name (`{"sub":"s1",…` or `{"watch":"w1",…`), so a
/// client tells pushes from responses (`{"id":…`) by their first bytes.
public enum Push {
    /// `{"sub":…,"event":{…}}`: a recorded event, its canonical JSON copied as is.
    public static func event(sub: String, _ event: RecordedEvent, into writer: inout JSONWriter) {
        Push.event(sub: sub, into: &writer) { event.writeJSON(into: &$0) }
    }

    /// The same line, the event written by `writeEvent` (from stored bytes, without decoding them).
    public static func event(sub: String, into writer: inout JSONWriter, _ writeEvent: (inout JSONWriter) -> Void) {
        writer.writeRaw(#"{"sub":"#)
        writer.write(string: sub)
        writer.writeRaw(#","event":"#)
        writeEvent(&writer)
        writer.writeRaw("}\n")
    }

    /// `{"sub":…,"caught_up":P}`: every event before `P` has been pushed.
    public static func caughtUp(sub: String, position: Position) -> [UInt8] {
        var writer = JSONWriter(capacity: 48)
        writer.writeRaw(#"{"sub":"#)
        writer.write(string: sub)
        writer.writeRaw(#","caught_up":"#)
        writer.write(integer: Int64(position))
        writer.writeRaw("}\n")
        return writer.bytes
    }

    /// `{"sub":…,"closed":"shutting_down"}`: the last line of a subscription at shutdown.
    public static func closed(sub: String) -> [UInt8] {
        closed(kind: "sub", name: sub)
    }

    /// `{"watch":…,"position":P,"row":{…}}`: a row as it stands, changed by
    /// the event at `P`; `"projection"` names its projection in a watch of
    /// several. `json` is the row's canonical JSON, written once for every watch.
    public static func row(watch: String, position: Position, projection: String? = nil, json: [UInt8], into writer: inout JSONWriter) {
        watchLine(watch, position, into: &writer)
        if let projection {
            writer.writeRaw(#","projection":"#)
            writer.write(string: projection)
        }
        writer.writeRaw(#","row":"#)
        writer.writeRaw(json)
        writer.writeRaw("}\n")
    }

    /// `{"watch":…,"position":P,"root":…,"recordedAt":…}` (no row): every row
    /// changed by the events before `P` has been pushed; `root` is the log's
    /// Merkle root over those `P` events, `recordedAt` the last one's time.
    public static func progress(watch: String, position: Position, root: String?, recordedAt: Timestamp?, into writer: inout JSONWriter) {
        watchLine(watch, position, into: &writer)
        if let root {
            writer.writeRaw(#","root":"#)
            writer.write(string: root)
        }
        if let recordedAt {
            writer.writeRaw(#","recordedAt":"#)
            recordedAt.writeRFC3339(into: &writer)
        }
        writer.writeRaw("}\n")
    }

    /// The start every watch line with a position shares: `{"watch":…,"position":P`.
    private static func watchLine(_ watch: String, _ position: Position, into writer: inout JSONWriter) {
        writer.writeRaw(#"{"watch":"#)
        writer.write(string: watch)
        writer.writeRaw(#","position":"#)
        writer.write(integer: Int64(position))
    }

    /// `{"watch":…,"closed":"shutting_down"}`.
    public static func closed(watch: String) -> [UInt8] {
        closed(kind: "watch", name: watch)
    }

    /// `{"sub":…,"closed":"damaged"|"failed","message":…}`: the server
    /// ended a subscription or watch it could not continue: `damaged` when
    /// the next events are stored damaged (never skipped), `failed` when its
    /// audit record could not be written. A client should not resume it
    /// silently: it says why.
    public static func ended(sub name: String?, watch: String? = nil, damaged: Bool, message: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 96 + message.utf8.count)
        writer.writeRaw(watch == nil ? #"{"sub":"# : #"{"watch":"#)
        writer.write(string: watch ?? name ?? "")
        writer.writeRaw(damaged ? #","closed":"damaged","message":"# : #","closed":"failed","message":"#)
        writer.write(string: message)
        writer.writeRaw("}\n")
        return writer.bytes
    }

    private static func closed(kind: StaticString, name: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 48)
        writer.writeRaw("{\"")
        writer.writeRaw(kind)
        writer.writeRaw("\":")
        writer.write(string: name)
        writer.writeRaw(#","closed":"shutting_down"}"#)
        writer.writeRaw("\n")
        return writer.bytes
    }
}
