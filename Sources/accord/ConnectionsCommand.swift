import AccordJSON
import ArgumentParser
import CommandSupport
import WireProtocol

struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "List a server's open connections, or close one (needs an admin token).",
        subcommands: [ConnectionsList.self, ConnectionsClose.self], defaultSubcommand: ConnectionsList.self)
}

struct ConnectionsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "One row per open connection: its number, peer, principal and role, since when, its streams and queues.",
        discussion: "The connection running this command is listed too, with one request in flight: this one.")

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let result = try await server.send(.connections)
        if server.json { return server.printJSON(result) }
        Table(
            columns: ["conn", "peer", "principal", "role", "since", "subs", "watches", "in flight", "queued"],
            rows: (result["connections"]?.arrayValue ?? []).map { c in
                [
                    c.cell("connection"), c.cell("peer"), c.cell("principal"), c.cell("role"), c.cell("since"), c.cell("subscriptions"),
                    c.cell("watches"), c.cell("requestsInFlight"), c["bytesQueued"]?.doubleValue.map(bytesText) ?? "-",
                ]
            }
        ).print()
    }
}

struct ConnectionsClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a connection: it gets a last forbidden line saying an administrator closed it.")

    @OptionGroup var server: ServerOptions
    @Argument(help: "The connection's number, as `accord connections` lists it.") var connection: UInt64

    func run() async throws {
        let result = try await server.send(.disconnect(connection: UInt64(connection)))
        if server.json { return server.printJSON(result) }
        print("closed connection \(connection)")
    }
}
