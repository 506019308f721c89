import AccordCore
import ArgumentParser
import CommandSupport
import Foundation
import Server

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke the bearer tokens clients present in hello.",
        discussion: """
            Tokens live in a JSON file (default DATA/tokens.json, mode 0600) holding only their SHA-256 hashes. \
            After a change, send the server SIGHUP (systemctl reload accord, or kill -HUP PID): it loads the file \
            again without dropping connections, and closes those whose token was revoked. With any token configured every connection must authenticate, \
            and the server may listen beyond loopback.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Location: ParsableArguments {
        @Option(help: "The data directory whose tokens.json to use.") var data = "./accord-data"
        @Option(help: "The token file (default DATA/tokens.json).") var tokens: String?

        var path: String { tokens ?? URL(fileURLWithPath: data).appendingPathComponent("tokens.json").path }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a token and print it once.")

        @Argument(help: "The principal name, stamped on every event the token's connections append.") var name: String
        @Option(help: "writer, reader, recipient, auditor, admin or replica.") var role: String
        @Option(help: "The recipient id, for the recipient role.") var recipient: String?
        @OptionGroup var location: Location

        func run() throws {
            guard let role = Role(name: role, recipientId: recipient) else {
                throw ValidationError("--role must be writer, reader, auditor, admin or replica, or recipient with --recipient ID")
            }
            try PrivateFile.createDirectory((location.path as NSString).deletingLastPathComponent, mode: 0o700)
            var store = try TokenStore.load(location.path)
            let token = try store.create(name: name, role: role)
            try store.save(location.path)
            print(token)
            FileHandle.standardError.write(Data("token for \(name) (\(role.name)) added to \(location.path); it is shown only now\n".utf8))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List token names and roles (never the tokens).")

        @OptionGroup var location: Location

        func run() throws {
            let store = try TokenStore.load(location.path)
            Table(columns: ["name", "role", "recipient"], rows: store.entries.map { [$0.name, $0.role, $0.recipientId ?? "-"] }).print()
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a token by name (effective at the server's next SIGHUP or restart).")

        @Argument var name: String
        @OptionGroup var location: Location

        func run() throws {
            var store = try TokenStore.load(location.path)
            guard store.revoke(name: name) else { throw CommandError("no token named \(name) in \(location.path)") }
            try store.save(location.path)
        }
    }
}
