import AccordJSON
import ArgumentParser
import CommandSupport
import EventStore
import LMDB

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the size and shape of a data directory (read-only, beside a running server).")

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() throws {
        let store = try dataDirectory.openReadOnly()
        let info = store.environment.info()
        let streams = try store.read { try store.log.streamCount(in: $0) }
        let last = store.head > 0 ? try store.event(at: store.head - 1) : nil
        let rows: [(String, JSONValue)] = [
            ("path", .string(store.environment.path)),
            ("head", .integer(Int64(store.head))),
            ("streams", .integer(Int64(streams))),
            ("lastRecordedAt", last.map { .string($0.recordedAt.rfc3339) } ?? .null),
            ("mapSize", .integer(Int64(info.mapSize))),
            ("bytesUsed", .integer(Int64(info.bytesUsed))),
            ("pageSize", .integer(Int64(info.pageSize))),
            ("readersInUse", .integer(Int64(info.readersInUse))),
            ("maxReaders", .integer(Int64(info.maxReaders))),
        ]
        if json {
            print(JSONValue.object(JSONObject(Dictionary(uniqueKeysWithValues: rows))).canonicalString)
        } else {
            Table(columns: ["field", "value"], rows: rows.map { [$0.0, $0.1.plainText] }).print()
        }
    }
}

extension JSONValue {
    /// The value as a person reads it in a table cell.
    var plainText: String {
        switch self {
        case .string(let s): s
        case .null: "-"
        default: canonicalString
        }
    }
}
