import AccordJSON
import ArgumentParser
import EventStore
import LMDB

#if canImport(Glibc)
import AccordCore
import Glibc
#endif

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print events from a data directory as NDJSON, one canonical JSON object per line.")

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "First position (inclusive).") var from: UInt64?
    @Option(help: "Most events to print.") var limit: Int = .max
    @Option(help: "Only this stream (agreement id).") var stream: String?
    @Option(help: "Only events of this type; repeat for several.") var type: [String] = []
    @Flag(help: "Walk backwards from --from (or the last event).") var backward = false

    func run() throws {
        let store = try dataDirectory.openReadOnly()
        let direction: ScanDirection = backward ? .backward : .forward
        var printed = 0
        var out = BufferedOutput()
        try store.read { txn in
            if let stream {
                let name = try StreamName(stream)
                for event in try store.log.readStream(name, from: from, direction: direction, limit: limit, in: txn)
                where type.isEmpty || type.contains(event.type) {
                    out.writeLine(event)
                }
                return
            }
            try store.log.scan(from: from, direction: direction, types: type.isEmpty ? nil : Set(type), in: txn) { event in
                out.writeLine(event)
                printed += 1
                return printed < limit
            }
        }
        out.flush()
    }
}
