import AccordCore
import ArgumentParser
import Checkpoints
import CommandSupport
import EventStore
import Foundation
import LMDB
import Registry
import Transparency

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take a consistent hot copy of a data directory, verify it, and write its checkpoint beside it.",
        discussion: """
            Safe while the server runs and keeps accepting appends: LMDB copies one read snapshot, compacted. The \
            copy is then verified like `accord verify --data` (every leaf, subtree and the signed checkpoint). DEST \
            gets data.mdb, checkpoint.txt (the latest signed checkpoint in the copy) and checkpoint.vkey (the \
            verifier key); with --include-secrets also checkpoint.key and tokens.json (mode 0600). Without them, a \
            server restored from the copy refuses to start until the signing key is put back or rotated (accord key \
            rotate), so a lost key is always on the record.
            """)

    @Argument(help: "A new or empty directory for the copy.") var destination: String
    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "A verifier key (text or file), repeatable; default: the data directory's key.") var key: [String] = []
    @Flag(help: "Also copy the signing key and the token file (protect the backup like the server).") var includeSecrets = false

    func run() throws {
        let started = Date()
        let files = FileManager.default
        try DataDirectoryOptions.requireExisting(dataDirectory.data)
        if files.fileExists(atPath: destination + "/data.mdb") {
            throw CommandError("\(destination) already holds a data directory; back up into a new or empty directory")
        }
        try PrivateFile.createDirectory(destination, mode: 0o750)
        let verifiers = try SigningKeyLocation.verifiers(key, data: dataDirectory.data)
        // Read before the snapshot: a running server acknowledges appends before its data file has
        // them, and these commits then reach back at least to the snapshot's head.
        let acknowledged = try EventStore.writeAheadCommits(in: dataDirectory.data)
        do {
            let source = try dataDirectory.openReadOnly()
            let fd = try PrivateFile.create(destination + "/data.mdb", mode: 0o640)
            defer { close(fd) }
            try source.environment.copy(toDescriptor: fd)
        }
        let applied = try apply(acknowledged, to: destination)
        if !verifiers.isEmpty { try write(verifiers.map { $0.text + "\n" }.joined(), to: "checkpoint.vkey", mode: 0o640) }
        var secrets: [String] = []
        if includeSecrets {
            for name in ["checkpoint.key", "tokens.json"] where files.fileExists(atPath: dataDirectory.data + "/" + name) {
                try write(try String(contentsOfFile: dataDirectory.data + "/" + name, encoding: .utf8), to: name, mode: 0o600)
                secrets.append(name)
            }
        }
        let coverage = try signHead(of: destination)
        let copy = try DataDirectoryOptions.openReadOnly(destination)
        if let text = try Checkpointer.latestStored(in: copy.environment) { try write(text, to: "checkpoint.txt", mode: 0o640) }
        let report = try OfflineAudit(store: copy).run(keys: verifiers)
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        print("copied \(report.log.eventsChecked) events to \(destination) in \(seconds) s; root \(report.log.root.base64)")
        if let problem = report.log.problem { print("FAILED      \(problem)") }
        if let problem = report.checkpointProblem { print("FAILED      checkpoint: \(problem)") }
        if let checkpoint = report.checkpoint, report.passed {
            print("verified    checkpoint at \(checkpoint.size) events, signature and root")
        }
        if applied > 0 {
            print("applied     \(applied) events acknowledged after the data file's last commit (from the write-ahead segment)")
        }
        if let coverage { print(coverage) }
        print(
            secrets.isEmpty
                ? "secrets:    none (no signing key, no tokens): restore them from elsewhere, or rotate the key after restoring"
                : "secrets:    \(secrets.joined(separator: ", ")) (mode 0600: protect this backup like the server)")
        guard report.passed else { throw ExitCode(1) }
        print("PASSED")
    }

    /// Writes into the copy the acknowledged commits its snapshot lacks,
    /// through the registry's projections as the server wrote them.
    private func apply(_ commits: WriteAheadCommits, to destination: String) throws -> Int {
        guard commits.eventCount > 0 else { return 0 }
        var options = Environment.Options()
        options.durability = .synced
        let environment = try Environment(path: destination, options: options)
        let registry = try Registry(environment: environment, logger: .quiet)
        let copy = try EventStore(environment: environment, hook: registry.hook, logger: .quiet)
        defer { copy.close() }
        return try copy.apply(commits)
    }

    /// Signs a checkpoint at the copy's head with the data directory's key,
    /// so that every event in the backup is covered by a signature (the
    /// server's newest checkpoint may be older than the copy's snapshot).
    /// Returns a line to print when it could not.
    private func signHead(of destination: String) throws -> String? {
        let keyPath = SigningKeyLocation.path(data: dataDirectory.data, configured: nil)
        guard let key = try? SigningKeyFile.load(at: keyPath) else {
            return "unsigned:   the newest events are covered by no signed checkpoint: the signing key \(keyPath) is not "
                + "readable here (run backup as the server's user)"
        }
        // LMDB's own synced commit: a backup is one data file, without a write-ahead segment beside it.
        var options = Environment.Options()
        options.durability = .synced
        let environment = try Environment(path: destination, options: options)
        let copy = try EventStore(environment: environment, logger: .quiet)
        guard copy.hasMerkleTree else { return nil }
        try Checkpointer(store: copy, key: key).persist()
        return nil
    }

    private func write(_ text: String, to name: String, mode: mode_t) throws {
        try PrivateFile.write(Array(text.utf8), to: destination + "/" + name, mode: mode)
    }
}
