import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import EventStore
import Foundation

/// One replayed event as a CSV row (RFC 4180 quoting).
enum CSVRow {
    static let header = "position,recorded_at,occurred_at,agreement_id,version,type,principal,event_id,data"

    static func line(_ event: JSONValue) -> String {
        let fields = [
            event.cell("position"), event.cell("recordedAt"), event["occurredAt"]?.stringValue ?? "", event.cell("stream"),
            event.cell("version"), event.cell("type"), event["principal"]?.stringValue ?? "", event.cell("eventId"),
            event["data"]?.canonicalString ?? "{}",
        ]
        return fields.map(quote).joined(separator: ",")
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
