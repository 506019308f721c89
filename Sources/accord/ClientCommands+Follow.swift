import AccordJSON
import ArgumentParser
import Client

struct RecipientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recipient", abstract: "Show one recipient's agreements and law-enforcement requests.")

    @OptionGroup var server: ServerOptions
    @OptionGroup var asOf: AsOfOptions
    @Argument(help: "The recipient id.") var recipient: String

    func run() async throws {
        var members = asOf.members
        members["recipientId"] = .string(recipient)
        let result = try await server.request("recipient", members)
        if server.json { return server.printJSON(result) }
        print("\(result["recipient"]?.cell("name") ?? recipient) (\(result["recipient"]?.cell("category") ?? "-"))")
        Table(columns: ["reference", "status", "start", "end", "LE requests"], rows: (result["agreements"]?.arrayValue ?? []).map { r in
            [r.cell("reference"), r.cell("effectiveStatus"), r.cell("startDate"), r.cell("endDate"), r.cell("lawEnforcementRequests")]
        }).print()
        let requests = result["lawEnforcementRequests"]?.arrayValue ?? []
        if !requests.isEmpty {
            print("")
            Table(columns: ["agreement", "request", "date", "requester", "decision", "subjects disclosed"], rows: requests.map { r in
                [r.cell("agreementId"), r.cell("requestReference"), r.cell("requestDate"), r.cell("requesterType"), r.cell("decision"), r.cell("subjectsDisclosed")]
            }).print()
        }
    }
}

struct Statistics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show law-enforcement statistics by month or quarter.")

    @OptionGroup var server: ServerOptions
    @OptionGroup var asOf: AsOfOptions
    @Option(help: "month or quarter.") var period = "quarter"
    @Flag(help: "Print CSV (the export columns).") var csv = false

    func run() async throws {
        var members = asOf.members
        if csv {
            members["table"] = "statistics"
            let result = try await server.request("export", members)
            return print(result["csv"]?.stringValue ?? "", terminator: "")
        }
        members["periodKind"] = .string(period)
        let result = try await server.request("law_enforcement_stats", members)
        if server.json { return server.printJSON(result) }
        Table(columns: ["period", "requester", "requests", "disclosed", "refused", "no match", "subjects requested", "subjects disclosed"],
              rows: (result["rows"]?.arrayValue ?? []).map { r in
                  [r.cell("period"), r.cell("requesterType"), r.cell("requests"), r.cell("disclosures"), r.cell("refusals"),
                   r.cell("noMatches"), r.cell("subjectsRequested"), r.cell("subjectsDisclosed")]
              }).print()
    }
}

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Follow the log as NDJSON: catch up from --from, then live events.")

    @OptionGroup var server: ServerOptions
    @Option(help: "start, end, or a position.") var from = "end"
    @Option(help: "Only events of this type; repeat for several.") var type: [String] = []
    @Option(help: "Only this agreement.") var agreement: String?
    @Option(help: "Only this recipient's agreements.") var recipient: String?
    @Flag(help: "Stop once caught up instead of following.") var noFollow = false

    func run() async throws {
        var members: [String: JSONValue] = ["from": UInt64(from).map { .integer(Int64($0)) } ?? .string(from)]
        if !type.isEmpty { members["types"] = .array(type.map { .string($0) }) }
        if let agreement { members["agreementId"] = .string(agreement) }
        if let recipient { members["recipientId"] = .string(recipient) }
        let follow = !noFollow
        let subscribe = members
        try await server.connect { client in
            _ = try await client.request("subscribe", subscribe)
            for await push in client.pushes {
                if let event = push["event"] { print(event.canonicalString) }
                if push["caught_up"] != nil, !follow { break }
                if push["closed"] != nil { break }
            }
        }
    }
}

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Print a projection, then every row that changes, as NDJSON.")

    @OptionGroup var server: ServerOptions
    @Argument(help: "register, recipient or law_enforcement_stats.") var projection: String
    @Option(help: "The recipient id, for the recipient projection.") var recipient: String?

    func run() async throws {
        var members: [String: JSONValue] = ["projection": .string(projection)]
        if let recipient { members["recipientId"] = .string(recipient) }
        let watch = members
        try await server.connect { client in
            let first = try await client.request("watch", watch)
            for row in first["rows"]?.arrayValue ?? [] { print(JSONValue.object(["position": first["position"] ?? .null, "row": row]).canonicalString) }
            for await push in client.pushes {
                if push["closed"] != nil { break }
                print(JSONValue.object(["position": push["position"] ?? .null, "row": push["row"] ?? .null]).canonicalString)
            }
        }
    }
}
