import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Print a projection, then every row that changes, as NDJSON.",
        discussion: """
            Prints {"position":P,"row":{…}} per line: first every row as of position P, then each row that changes, \
            with the position of the event that changed it, each line as it comes. After a reconnection the whole \
            projection is printed again. Each drop and failed attempt is said on standard error; a refusal that \
            retrying cannot mend (a revoked token, an untrusted certificate, an administrator closing the \
            connection) ends it with exit status 3.
            """)

    @OptionGroup var server: ServerOptions
    @Argument(help: "register, recipient or law_enforcement_stats.") var projection: String
    @Option(help: "The recipient id, for the recipient projection.") var recipient: String?
    @Option(help: "Judge agreements on this date (YYYY-MM-DD; default: the server's today).") var on: String?

    func run() async throws {
        let watched: WatchedProjection
        switch (projection, recipient) {
        case ("register", nil): watched = .register
        case ("recipient", let id?): watched = .recipient(id)
        case ("law_enforcement_stats", nil): watched = .lawEnforcementStats
        default: throw ValidationError("watch register, law_enforcement_stats, or recipient with --recipient ID")
        }
        let date = try on.map { text in
            guard let date = CalendarDate(text) else { throw ValidationError("--on takes a date, YYYY-MM-DD") }
            return date
        }
        var configuration = try server.configuration()
        configuration.reconnect = .always
        configuration.reconnectObserver = ReconnectReport.printer("watch")
        try await server.connect(configuration) { client in
            func line(_ position: Position, _ row: JSONValue) {
                LineOutput.write(JSONValue.object(["position": .integer(Int64(position)), "row": row]).canonicalString)
            }
            for try await message in try await client.watch(watched, on: date) {
                switch message {
                case .snapshot(let position, let rows): rows.forEach { line(position, $0) }
                case .row(let position, let row, _): line(position, row)
                case .progress: break
                }
            }
        }
    }
}
