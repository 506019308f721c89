import AccordClient
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation
import NIOSSL
import Server
import WireProtocol

/// `--server HOST:PORT`, `--json` and the connection options, shared by the
/// commands that talk to a server.
struct ServerOptions: ParsableArguments {
    @Option(help: "The server, HOST:PORT (default: $ACCORD_SERVER, else 127.0.0.1:7411).") var server: String?
    @Flag(help: "Print the server's JSON result instead of a table.") var json = false
    @OptionGroup var connection: ConnectionOptions

    /// The client configuration these options describe.
    func configuration() throws -> ClientConfiguration {
        try connection.configuration(endpoint: ConnectionOptions.endpoint(server))
    }

    /// Connects and authenticates, runs `body`, and closes the connection.
    func connect<R: Sendable>(_ body: @Sendable (AccordClient) async throws -> R) async throws -> R {
        try await connect(try configuration(), body)
    }

    /// The same with a configuration the command adjusted.
    func connect<R: Sendable>(_ configuration: ClientConfiguration, _ body: @Sendable (AccordClient) async throws -> R) async throws -> R {
        try await AccordClient.connect(configuration, body)
    }

    /// One request on a fresh connection.
    func request(_ op: String, _ members: [String: JSONValue]) async throws -> JSONValue {
        try await connect { client in try await client.request(op, members) }
    }

    /// Sends one typed command on a connection of its own.
    func send(_ command: Command) async throws -> JSONValue {
        try await connect { client in try await client.send(command) }
    }

    /// Prints `value` as one JSON line (for `--json` and NDJSON streams).
    func printJSON(_ value: JSONValue) {
        print(value.canonicalString)
    }
}

extension JSONValue {
    /// A table cell for a member of a row.
    func cell(_ key: String) -> String {
        switch self[key] {
        case .array(let items)?: items.map(\.plainText).joined(separator: "; ")
        case let value?: value.plainText
        case nil: "-"
        }
    }
}

/// Members of `asOf`/`on` from the shared options.
extension AsOfOptions {
    var members: [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        if let asOf { members["asOf"] = UInt64(asOf).map { .integer(Int64($0)) } ?? .string(asOf) }
        if let effectiveAt { members["effectiveAt"] = .string(effectiveAt) }
        if let on { members["on"] = .string(on) }
        return members
    }
}
