import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

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
        Table(
            columns: ["reference", "recipient", "category", "gateway", "status", "start", "end", "LE requests"],
            rows: rows.map { r in
                [
                    r.cell("reference"), r.cell("recipientName"), r.cell("recipientCategory"), r.cell("gatewayId"),
                    r.cell("effectiveStatus"), r.cell("startDate"), r.cell("endDate"), r.cell("lawEnforcementRequests"),
                ]
            }
        ).print()
        print("\(rows.count) agreements, as of position \(result.cell("position")), judged on \(result.cell("on"))")
    }
}
