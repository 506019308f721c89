import AccordClient
import AccordCore
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

            Online (--server): fetches the server's current signed checkpoint and checks it with --key, following \
            the log's key rotations; with --checkpoint FILE (a checkpoint saved earlier) fetches a consistency proof and \
            checks that the old tree is a prefix of the new (two checkpoints that cannot both be true are reported as \
            a fork, naming both epochs); with --event POSITION fetches that event and checks its \
            inclusion; with --full fetches every event the checkpoint covers and recomputes its root. --save FILE \
            keeps the new checkpoint for next time. The checkpoint and proofs need no token \
            (unless the server keeps them private); --event reads an event, which needs a writer, auditor or admin token.

            --key may be given several times: a log whose key was rotated without the old key's endorsement (the old \
            secret was lost) is trusted only with the new key given too.

            --edition DIR (with --data or --server) checks a published edition: every file against edition.json, \
            its checkpoint's signature, that the log has only grown since (a consistency proof online), and that \
            an EditionPublished event in $editions names its edition.json and is included in the current checkpoint; \
            other editions recorded for the same size are listed.

            Exit status: 0 when everything checked passed, 1 when anything differs, 2 for a usage or configuration \
            error, 3 when the server could not be reached or would not answer (never reported as tampering).
            """)

    @Option(help: "The data directory to verify offline.") var data = "./accord-data"
    @Option(help: "Verify online against this server, HOST:PORT.") var server: String?
    @Option(
        help: "A verifier key (the line `accord key` prints) or a file holding it; repeat for several; default: the data directory's key.")
    var key: [String] = []
    @Option(help: "Online: a signed checkpoint saved earlier, to prove the current log extends it.") var checkpoint: String?
    @Option(help: "Online: a position whose event must be included in the current checkpoint.") var event: [UInt64] = []
    @Option(help: "Online: write the current signed checkpoint to this file.") var save: String?
    @Flag(help: "Online: fetch every event the checkpoint covers and recompute its root (needs a token that may read the log).")
    var full = false
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "A published edition's folder: check its files, its checkpoint, its record in $editions and its consistency.")
    var edition: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        if let edition { return try await verifyEdition(edition) }
        let passed = try await server == nil ? offline() : online()
        if !passed { throw ExitCode(1) }
    }

    private func offline() throws -> Bool {
        let store = try DataDirectoryOptions.openReadOnly(data)
        let verifiers = try SigningKeyLocation.verifiers(key, data: data)
        let started = Date()
        let report = try OfflineAudit(store: store).run(keys: verifiers) { done in
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
                    "eventsPerSecond": .integer(Int64(rate)), "keys": .array(report.keyNotes.map { .string($0) }),
                ]).canonicalString)
            return report.passed
        }
        print("log:        \(report.log.eventsChecked) events, root \(report.log.root.base64) (\(rate) events/s)")
        if let problem = report.log.problem {
            print("FAILED      \(problem)")
            return false
        }
        print("tree:       every leaf and subtree matches the events")
        for note in report.keyNotes { print("key:        \(note)") }
        if let checkpoint = report.checkpoint, report.checkpointProblem == nil {
            print("checkpoint: \(checkpoint.origin) at \(checkpoint.size) events, signature and root verified")
        } else if let problem = report.checkpointProblem {
            print("FAILED      checkpoint: \(problem)")
        }
        print(report.passed ? "PASSED" : "FAILED")
        return report.passed
    }

    private func online() async throws -> Bool {
        let keys = try SigningKeyLocation.verifiers(key, data: nil)
        guard !keys.isEmpty else {
            throw ValidationError("online verification needs --key: the verifier key the log's operator published")
        }
        var configuration = try connection.configuration(endpoint: server ?? "", clientName: "accord-verify")
        configuration.anonymous = true
        let previous = try checkpoint.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandError("cannot read the saved checkpoint \(path)")
            }
            return text
        }
        let events = event
        let results = try await AccordClient.connect(configuration) { client in
            try await OnlineAudit(client: client, keys: keys, full: full).run(previous: previous, events: events)
        }
        if let save, let text = results.checkpointText {
            try PrivateFile.write(Array(text.utf8), to: save, mode: 0o640)
        }
        if json {
            print(results.json.canonicalString)
            return results.passed
        }
        for check in results.checks { print(check.line) }
        if let save, results.checkpointText != nil { print("saved the checkpoint to \(save)") }
        print(results.passed ? "PASSED" : "FAILED")
        return results.passed
    }
}

extension Verify {
    private func verifyEdition(_ folder: String) async throws {
        let checks: [OnlineAudit.Check]
        if let server {
            let configuration = try connection.configuration(endpoint: server, clientName: "accord-verify")
            let given = try SigningKeyLocation.verifiers(key, data: nil)
            checks = try await AccordClient.connect(configuration) { client in
                let keys = given.isEmpty ? [try NoteVerifierKey(text: try await client.checkpoint().key)] : given
                return try await EditionAudit(folder: EditionDirectory(path: folder), keys: keys).online(client)
            }
        } else {
            let store = try DataDirectoryOptions.openReadOnly(data)
            defer { store.close() }
            let keys = try SigningKeyLocation.verifiers(key, data: data)
            checks = try EditionAudit(folder: EditionDirectory(path: folder), keys: keys).offline(store)
        }
        let passed = checks.allSatisfy(\.passed)
        if json {
            print(
                JSONValue.object([
                    "passed": .bool(passed),
                    "checks": .array(checks.map(\.json)),
                ]).canonicalString)
        } else {
            for check in checks { print(check.line) }
            print(passed ? "PASSED" : "FAILED")
        }
        if !passed { throw ExitCode(1) }
    }
}
