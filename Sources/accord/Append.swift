import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

struct Append: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Append events to an agreement: one from flags, or NDJSON events ({type, data, occurredAt?, eventId?}) from --file or stdin.")

    @OptionGroup var server: ServerOptions
    @Argument(help: "The agreement id, e.g. DSA-0042.") var agreement: String
    @Option(help: "The event type, e.g. AgreementProposed.") var type: String?
    @Option(help: "The event data, a JSON object.") var data: String?
    @Option(help: "When the fact took effect (RFC 3339).") var occurredAt: String?
    @Option(help: "any, no_stream, exists, or a version.") var expected = "any"
    @Option(help: "Read events from this NDJSON file ('-' for stdin).") var file: String?

    func run() async throws {
        var events: [JSONValue] = []
        if let type, let data {
            var event: [String: JSONValue] = ["type": .string(type), "data": try JSONParser.parse(data)]
            if let occurredAt { event["occurredAt"] = .string(occurredAt) }
            events.append(.object(JSONObject(event)))
        } else {
            let text =
                file == nil || file == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: file!, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
                events.append(try JSONParser.parse(String(line)))
            }
        }
        guard !events.isEmpty else { throw ValidationError("give --type and --data, or events on --file or stdin") }
        let withIds: [JSONValue] = events.map { event in
            guard case .object(var members) = event else { return event }
            if members["eventId"] == nil { members["eventId"] = .string(UUID.timeOrdered().uuidString.lowercased()) }
            return .object(members)
        }
        let expectedVersion: JSONValue = UInt64(expected).map { .integer(Int64($0)) } ?? .string(expected)
        let result = try await server.connect { client in
            try await client.request(
                "append", ["agreementId": .string(agreement), "expectedVersion": expectedVersion, "events": .array(withIds)])
        }
        if server.json { return server.printJSON(result) }
        print(
            "appended to \(agreement): positions \(result.cell("positions")), version \(result.cell("streamVersion"))\(result["duplicate"] == true ? " (already recorded)" : "")"
        )
    }
}
