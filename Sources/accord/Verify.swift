import AccordClient
import AccordJSON
import ArgumentParser
import Checkpoints
import CommandSupport
import EventStore
import Foundation
import Merkle
import Transparency

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that the log was not altered: offline over a data directory, or online against a server.",
        discussion: """
            Offline (default): recomputes every leaf and subtree of the Merkle tree from the stored events, compares them \
            with the stored tree, and checks the latest signed checkpoint's signature and root. Works on a live data \
            directory (read-only, beside the server) and on a backup.

            Online (--server): fetches the server's current signed checkpoint and checks it with --key; with \
            --checkpoint FILE (a checkpoint saved earlier) fetches a consistency proof and checks that the old tree is a \
            prefix of the new; with --event POSITION fetches that event and checks its inclusion. --save FILE keeps the \
            new checkpoint for next time.

            Exit status: 0 when everything checked passed, 1 when anything differs.
            """)

    @Option(help: "The data directory to verify offline.") var data = "./accord-data"
    @Option(help: "Verify online against this server, HOST:PORT.") var server: String?
    @Option(help: "The verifier key (the line `accord key` prints) or a file holding it; default: the data directory's key.")
    var key: String?
    @Option(help: "Online: a signed checkpoint saved earlier, to prove the current log extends it.") var checkpoint: String?
    @Option(help: "Online: a position whose event must be included in the current checkpoint.") var event: [UInt64] = []
    @Option(help: "Online: write the current signed checkpoint to this file.") var save: String?
    @Option(help: "Online: a bearer token, needed for --event on a server with tokens (default: $ACCORD_TOKEN).") var token: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        let passed = try await server == nil ? offline() : online()
        if !passed { throw ExitCode(1) }
    }

    private func offline() throws -> Bool {
        let store = try DataDirectoryOptions.openReadOnly(data)
        let verifier = try SigningKeyLocation.verifier(key, data: data)
        let started = Date()
        let report = try OfflineAudit(store: store).run(key: verifier) { done in
            FileHandle.standardError.write(Data("verified \(done) events\n".utf8))
        }
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? Int(Double(report.log.eventsChecked) / seconds) : 0
        if json {
            print(
                JSONValue.object([
                    "passed": .bool(report.passed), "events": .integer(Int64(report.log.eventsChecked)),
                    "root": .string(report.log.root.base64), "problem": report.log.problem.map { .string($0.description) } ?? .null,
                    "problemPosition": report.log.problem?.position.map { .integer(Int64($0)) } ?? .null,
                    "checkpointSize": report.checkpoint.map { .integer(Int64($0.size)) } ?? .null,
                    "checkpointProblem": report.checkpointProblem.map { .string($0) } ?? .null,
                    "eventsPerSecond": .integer(Int64(rate)),
                ]).canonicalString)
            return report.passed
        }
        print("log:        \(report.log.eventsChecked) events, root \(report.log.root.base64) (\(rate) events/s)")
        if let problem = report.log.problem {
            print("FAILED      \(problem)")
            return false
        }
        print("tree:       every leaf and subtree matches the events")
        if let checkpoint = report.checkpoint, report.checkpointProblem == nil {
            print("checkpoint: \(checkpoint.origin) at \(checkpoint.size) events, signature and root verified")
        } else if let problem = report.checkpointProblem {
            print("FAILED      checkpoint: \(problem)")
        }
        print(report.passed ? "PASSED" : "FAILED")
        return report.passed
    }

    private func online() async throws -> Bool {
        guard let key = try SigningKeyLocation.verifier(key, data: nil) else {
            throw ValidationError("online verification needs --key: the verifier key the log's operator published")
        }
        let (host, port) = try Endpoint.parse(server ?? "")
        let configuration = ClientConfiguration(
            host: host, port: port, token: token ?? ProcessInfo.processInfo.environment["ACCORD_TOKEN"], clientName: "accord-verify")
        let old = try checkpoint.map { path in
            try SignedCheckpoint(text: try String(contentsOfFile: path, encoding: .utf8), verifiedBy: key).checkpoint
        }
        let events = event
        let results = try await AccordClient.connect(configuration) { client in
            try await OnlineAudit(client: client, key: key).run(previous: old, events: events)
        }
        for line in results.lines { print(line) }
        if let save, let text = results.checkpointText {
            try Data(text.utf8).write(to: URL(fileURLWithPath: save), options: .atomic)
            print("saved the checkpoint to \(save)")
        }
        print(results.passed ? "PASSED" : "FAILED")
        return results.passed
    }
}
