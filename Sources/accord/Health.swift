import AccordJSON
import ArgumentParser
import CommandSupport
import WireProtocol

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a server whether it can take appends, and how much room it has left.",
        discussion: "Exit status 0 when the status is ok, 1 when degraded or failing (for monitors and service checks).")

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let result = try await server.send(.health)
        if server.json {
            server.printJSON(result)
        } else {
            let map = result["map"] ?? .null
            func bytes(_ value: JSONValue?) -> String { value?.doubleValue.map(bytesText) ?? "-" }
            let headroom = map["headroom"]?.doubleValue.map { "\(Int(($0 * 100).rounded()))%" } ?? "-"
            Table(
                columns: ["status", "writable", "head", "last commit", "age", "map used", "map max", "headroom", "disk free"],
                rows: [
                    [
                        result.cell("status"), result.cell("writable"), result.cell("head"), result.cell("lastCommitAt"),
                        result["lastCommitAgeSeconds"]?.doubleValue.map(secondsText) ?? "-", bytes(map["usedBytes"]),
                        bytes(map["maxBytes"]), headroom, bytes(result["diskFreeBytes"]),
                    ]
                ]
            ).print()
            if let replication = result["replication"] {
                print("")
                Table(
                    columns: ["replica of", "state", "primary head", "behind", "lag", "ready", "verified"],
                    rows: [
                        [
                            replication.cell("primary"), replication.cell("state"), replication.cell("primaryHead"),
                            replication.cell("lagPositions"), replication["lagSeconds"]?.doubleValue.map(secondsText) ?? "-",
                            replication.cell("ready"), replication["verified"]?.cell("treeSize") ?? "-",
                        ]
                    ]
                ).print()
            }
            for problem in result["problems"]?.arrayValue ?? [] { print("problem: \(problem.plainText)") }
        }
        if result["status"] != "ok" { throw ExitCode(1) }
    }
}
