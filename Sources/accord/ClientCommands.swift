import AccordCore
import AccordJSON
import ArgumentParser
import Client
import EventStore
import Foundation

struct Append: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append events to an agreement: one from flags, or NDJSON events ({type, data, occurredAt?, eventId?}) from --file or stdin.")

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
            events.append(.object(event))
        } else {
            let text = file == nil || file == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: file!, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) { events.append(try JSONParser.parse(String(line))) }
        }
        guard !events.isEmpty else { throw ValidationError("give --type and --data, or events on --file or stdin") }
        let withIds: [JSONValue] = events.map { event in
            guard case .object(var members) = event else { return event }
            if members["eventId"] == nil { members["eventId"] = .string(UUID.timeOrdered().uuidString.lowercased()) }
            return .object(members)
        }
        let expectedVersion: JSONValue = UInt64(expected).map { .integer(Int64($0)) } ?? .string(expected)
        let result = try await server.connect { client in
            try await client.request("append", ["agreementId": .string(agreement), "expectedVersion": expectedVersion, "events": .array(withIds)])
        }
        if server.json { return server.printJSON(result) }
        print("appended to \(agreement): positions \(result.cell("positions")), version \(result.cell("streamVersion"))\(result["duplicate"] == true ? " (already recorded)" : "")")
    }
}

struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the register: every agreement and how it stands.")

    @OptionGroup var server: ServerOptions
    @OptionGroup var asOf: AsOfOptions
    @Option(help: "Only this effective status (in_force, expired, proposed, …).") var status: String?
    @Option(help: "Only this recipient category.") var category: String?
    @Option(help: "Only agreements in force and ending within this many days.") var expiringWithin: Int?
    @Flag(help: "Print CSV (the export columns).") var csv = false

    func run() async throws {
        var members = asOf.members
        if let status { members["status"] = .string(status) }
        if let category { members["category"] = .string(category) }
        if let expiringWithin { members["expiringWithinDays"] = .integer(Int64(expiringWithin)) }
        if csv {
            members["table"] = "register"
            let result = try await server.request("export", members)
            return print(result["csv"]?.stringValue ?? "", terminator: "")
        }
        let result = try await server.request("register", members)
        if server.json { return server.printJSON(result) }
        let rows = result["rows"]?.arrayValue ?? []
        Table(columns: ["reference", "recipient", "category", "gateway", "status", "start", "end", "LE requests"],
              rows: rows.map { r in
                  [r.cell("reference"), r.cell("recipientName"), r.cell("recipientCategory"), r.cell("gatewayId"),
                   r.cell("effectiveStatus"), r.cell("startDate"), r.cell("endDate"), r.cell("lawEnforcementRequests")]
              }).print()
        print("\(rows.count) agreements, as of position \(result.cell("position")), judged on \(result.cell("on"))")
    }
}

struct AgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agreement", abstract: "Show one agreement, optionally with its full history.")

    @OptionGroup var server: ServerOptions
    @OptionGroup var asOf: AsOfOptions
    @Argument(help: "The agreement id.") var agreement: String
    @Flag(help: "List every event: what, when, and who recorded it.") var history = false

    func run() async throws {
        var members = asOf.members
        members["agreementId"] = .string(agreement)
        members["history"] = .bool(history)
        let result = try await server.request("agreement", members)
        if server.json { return server.printJSON(result) }
        let row = result["row"] ?? .null
        Table(columns: ["field", "value"], rows: [
            "reference", "recipientName", "recipientCategory", "projectTitle", "purpose", "gatewayId", "lawfulBasis", "dataItems",
            "status", "effectiveStatus", "decisionDate", "startDate", "endDate", "reviewDate", "lastRenewal", "revokedOn",
            "lawEnforcementRequests", "lawEnforcementDisclosures",
        ].map { [$0, row.cell($0)] }).print()
        if history {
            print("")
            Table(columns: ["version", "position", "type", "occurred", "recorded", "by"], rows: (result["events"]?.arrayValue ?? []).map { e in
                [e.cell("version"), e.cell("position"), e.cell("type"), e.cell("occurredAt"), e.cell("recordedAt"), e.cell("principal")]
            }).print()
        }
    }
}
