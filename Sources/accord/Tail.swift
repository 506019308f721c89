import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow the log as NDJSON: catch up from --from, then live events.",
        discussion: """
            Prints one recorded event per line (the canonical JSON of protocol/canonical-json.md), each as it \
            arrives, also when the output is a pipe or a file. When the connection drops the command reconnects \
            and resumes after the last event it printed: no gap, no duplicate; each drop and failed attempt is \
            said on standard error. A refusal that retrying cannot mend (a revoked token, a role that may not \
            subscribe, an untrusted certificate, an administrator closing the connection) ends it with exit \
            status 3.
            """)

    @OptionGroup var server: ServerOptions
    @Option(help: "start, end, or a position.") var from = "end"
    @Option(help: "Only events of this type; repeat for several.") var type: [String] = []
    @Option(help: "Only this agreement.") var agreement: String?
    @Option(help: "Only this recipient's agreements.") var recipient: String?
    @Flag(help: "Stop once caught up instead of following.") var noFollow = false

    func run() async throws {
        let start: SubscriptionStart
        switch from {
        case "start": start = .start
        case "end": start = .end
        default:
            guard let position = UInt64(from) else { throw ValidationError("--from takes start, end or a position") }
            start = .position(position)
        }
        let filter = EventFilter(types: type.isEmpty ? nil : type, agreementId: agreement, recipientId: recipient)
        let follow = !noFollow
        var configuration = try server.configuration()
        configuration.reconnect = follow ? .always : .never
        configuration.reconnectObserver = ReconnectReport.printer("tail")
        try await server.connect(configuration) { client in
            for try await message in try await client.subscribe(from: start, filter: filter) {
                switch message {
                case .event(let event): LineOutput.write(String(decoding: event.jsonBytes, as: UTF8.self))
                case .caughtUp: if !follow { return }
                }
            }
        }
    }
}
