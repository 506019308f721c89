import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

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
        Table(
            columns: ["period", "requester", "requests", "disclosed", "refused", "no match", "subjects requested", "subjects disclosed"],
            rows: (result["rows"]?.arrayValue ?? []).map { r in
                [
                    r.cell("period"), r.cell("requesterType"), r.cell("requests"), r.cell("disclosures"), r.cell("refusals"),
                    r.cell("noMatches"), r.cell("subjectsRequested"), r.cell("subjectsDisclosed"),
                ]
            }
        ).print()
    }
}
