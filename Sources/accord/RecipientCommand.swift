import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

struct RecipientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipient", abstract: "Show one recipient's agreements and law-enforcement requests.")

    @OptionGroup var server: ServerOptions
    @OptionGroup var asOf: AsOfOptions
    @Argument(help: "The recipient id.") var recipient: String

    func run() async throws {
        var members = asOf.members
        members["recipientId"] = .string(recipient)
        let result = try await server.request("recipient", members)
        if server.json { return server.printJSON(result) }
        print("\(result["recipient"]?.cell("name") ?? recipient) (\(result["recipient"]?.cell("category") ?? "-"))")
        Table(
            columns: ["reference", "status", "start", "end", "LE requests"],
            rows: (result["agreements"]?.arrayValue ?? []).map { r in
                [r.cell("reference"), r.cell("effectiveStatus"), r.cell("startDate"), r.cell("endDate"), r.cell("lawEnforcementRequests")]
            }
        ).print()
        let requests = result["lawEnforcementRequests"]?.arrayValue ?? []
        if !requests.isEmpty {
            print("")
            Table(
                columns: ["agreement", "request", "date", "requester", "decision", "subjects disclosed"],
                rows: requests.map { r in
                    [
                        r.cell("agreementId"), r.cell("requestReference"), r.cell("requestDate"), r.cell("requesterType"),
                        r.cell("decision"), r.cell("subjectsDisclosed"),
                    ]
                }
            ).print()
        }
    }
}
