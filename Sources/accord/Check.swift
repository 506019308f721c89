import AccordClient
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation
import Registry
import Server
import WireProtocol

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the whole store for damage: the log's structure and tree, the checkpoint, and every projection.",
        discussion: """
            Offline (--data DIR, beside a running server or on a backup): in one read snapshot, checks that every \
            events key is its record's position, dense and in order; that every record decodes; that each stream's \
            records form its chain and the streams, event id and mark indexes agree with them; every leaf and \
            subtree against the stored tree; the newest signed checkpoint's signature and root (with --key, or the \
            data directory's key); and every projection table against a fresh fold of the log, by digest and entry. \
            Online (--server, an admin token): the server runs the same check and answers with its report.

            The report names each damaged position, stream, agreement or table. Exit status: 0 when nothing is \
            damaged, 1 when anything is, 2 for a usage error, 3 when the server could not be reached.
            """)

    @Option(help: "The data directory to check offline.") var data = "./accord-data"
    @Option(help: "Check online: ask this server (HOST:PORT) to check its store; needs an admin token.") var server: String?
    @Option(help: "A verifier key (text or file) for the checkpoint; repeat for several; default: the data directory's key.")
    var key: [String] = []
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        let report: JSONValue
        if let server {
            let configuration = try connection.configuration(endpoint: server, clientName: "accord-check")
            report = try await AccordClient.connect(configuration) { try await $0.send(.check) }
        } else {
            let started = Date()
            let store = try DataDirectoryOptions.openReadOnly(data)
            defer { store.close() }
            let registry = try Registry(environment: store.environment, logger: .quiet)
            let keys = try SigningKeyLocation.verifiers(key, data: data)
            report = try StoreCheck(store: store, registry: registry).run(keys: keys).json
            let seconds = Date().timeIntervalSince(started)
            FileHandle.standardError.write(
                Data("checked \(report["events"]?.int64Value ?? 0) events in \(String(format: "%.1f", seconds)) s\n".utf8))
        }
        if json {
            Swift.print(report.canonicalString)
        } else {
            Self.show(report)
        }
        if report["damaged"] != .bool(false) { throw ExitCode(1) }
    }

    static func show(_ report: JSONValue) {
        Swift.print("log:         \(report["events"]?.int64Value ?? 0) events, root \(report["root"]?.stringValue ?? "?")")
        let checkpoint = report["checkpoint"]
        if let problem = checkpoint?["problem"]?.stringValue {
            Swift.print("checkpoint:  FAILED \(problem)")
        } else if let size = checkpoint?["size"]?.int64Value {
            Swift.print(
                "checkpoint:  \(size) events, \(checkpoint?["checked"] == true ? "signature and root verified" : "not checked (no --key)")")
        }
        for table in report["tables"]?.arrayValue ?? [] {
            let name = table["table"]?.stringValue ?? "?"
            let digest = String((table["storedDigest"]?.stringValue ?? "").prefix(16))
            Swift.print(
                "projection:  \(name.padding(toLength: 21, withPad: " ", startingAt: 0)) \(table["matches"] == true ? "matches its fold" : "DIFFERS") (\(digest)…)"
            )
        }
        let findings = report["findings"]?.arrayValue ?? []
        for finding in findings { Swift.print("DAMAGED      \(finding.stringValue ?? "")") }
        Swift.print(findings.isEmpty ? "PASSED: nothing is damaged" : "FAILED: \(findings.count) findings")
    }
}
