import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

struct AgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement", abstract: "Show one agreement, optionally with its full history.")

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
        Table(
            columns: ["field", "value"],
            rows: [
                "reference", "recipientName", "recipientCategory", "projectTitle", "purpose", "gatewayId", "lawfulBasis", "dataItems",
                "status", "effectiveStatus", "decisionDate", "startDate", "endDate", "reviewDate", "lastRenewal", "revokedOn",
                "lawEnforcementRequests", "lawEnforcementDisclosures",
            ].map { [$0, row.cell($0)] }
        ).print()
        if history {
            print("")
            Table(
                columns: ["version", "position", "type", "occurred", "recorded", "by"],
                rows: (result["events"]?.arrayValue ?? []).map { e in
                    [
                        e.cell("version"), e.cell("position"), e.cell("type"), e.cell("occurredAt"), e.cell("recordedAt"),
                        e.cell("principal"),
                    ]
                }
            ).print()
        }
    }
}
