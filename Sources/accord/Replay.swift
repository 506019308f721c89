import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import EventStore
import Foundation
import WireProtocol

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stream the log between two positions or recorded times, with filters, as NDJSON or CSV.",
        discussion: """
            For audits: every event with who recorded it and when. Progress goes to standard error. Replaying \
            law-enforcement records is itself recorded in the $audit stream, like any read of them.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ndjson
        case csv
    }

    @OptionGroup var server: ServerOptions
    @Option(
        help: "The first position, or an RFC 3339 time (events recorded after it) or a date (recorded on or after it); default: the start.")
    var from: String?
    @Option(help: "Stop before this position, or after this RFC 3339 recorded time or date (default: the head when started).")
    var to: String?
    @Option(help: "Only events of this type; repeat for several.") var type: [String] = []
    @Option(help: "Only this agreement.") var agreement: String?
    @Option(help: "Only this recipient's agreements.") var recipient: String?
    @Option(help: "ndjson or csv.") var format: Format = .ndjson

    func run() async throws {
        let (from, to, type, agreement, recipient, format) = (from, to, type, agreement, recipient, format)
        try await server.connect { client in
            /// A position as given, or the log's length at a recorded time. A
            /// date means its end for `--to` and its start for `--from`.
            func position(_ text: String?, orElse fallback: Int64, startOfDay: Bool = false) async throws -> Int64 {
                guard let text else { return fallback }
                if let position = Int64(text), position >= 0 { return position }
                var time = text
                if startOfDay, let midnight = CalendarDate(text)?.start {
                    time = Timestamp(microseconds: midnight.microseconds - 1).rfc3339
                }
                return try await client.request("position_at", ["recordedAt": .string(time)])["position"]?.int64Value ?? fallback
            }
            let head = try await client.send(.ping)["head"]?.int64Value ?? 0
            let start = try await position(from, orElse: 0, startOfDay: true)
            var next = start
            let end = try await position(to, orElse: head)
            var filters: [String: JSONValue] = ["limit": 1_000]
            if !type.isEmpty { filters["types"] = .array(type.map { .string($0) }) }
            if let agreement { filters["agreementId"] = .string(agreement) }
            if let recipient { filters["recipientId"] = .string(recipient) }
            if format == .csv { print(CSVRow.header) }
            var count = 0
            var reported = 0
            while next < end {
                var request = filters
                request["from"] = .integer(next)
                let page = try await client.request("read_all", request)
                for event in page["events"]?.arrayValue ?? [] {
                    guard let position = event["position"]?.int64Value, position < end else {
                        next = end
                        break
                    }
                    print(format == .csv ? CSVRow.line(event) : event.canonicalString)
                    count += 1
                }
                guard next < end, let after = page["next"]?.int64Value else { break }
                next = after
                if count - reported >= 10_000 || next >= end {
                    reported = count
                    FileHandle.standardError.write(Data("replay: \(count) events, at position \(min(next, end)) of \(end)\n".utf8))
                }
            }
            FileHandle.standardError.write(Data("replay: \(count) events between positions \(start) and \(end)\n".utf8))
        }
    }
}
