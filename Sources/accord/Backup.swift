import ArgumentParser
import Checkpoints
import Foundation
import Transparency

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take a consistent hot copy of a data directory, verify it, and write its checkpoint beside it.",
        discussion: """
        Safe while the server runs and keeps accepting appends: LMDB copies one read snapshot, compacted. The \
        copy is then verified like `accord verify --data` (every leaf, subtree and the signed checkpoint). DEST \
        gets data.mdb, checkpoint.txt (the latest signed checkpoint in the copy) and checkpoint.vkey (the \
        verifier key); with --include-secrets also checkpoint.key and tokens.json (mode 0600).
        """)

    @Argument(help: "A new or empty directory for the copy.") var destination: String
    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "The verifier key (text or file); default: the data directory's key.") var key: String?
    @Flag(help: "Also copy the signing key and the token file (protect the backup like the server).") var includeSecrets = false

    func run() throws {
        let started = Date()
        let files = FileManager.default
        if files.fileExists(atPath: destination + "/data.mdb") {
            throw CommandError("\(destination) already holds a data directory; back up into a new or empty directory")
        }
        try files.createDirectory(atPath: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        let verifier = try SigningKeyLocation.verifier(key, data: dataDirectory.data)
        do {
            let source = try dataDirectory.openReadOnly()
            try source.environment.copy(to: destination, compact: true)
        }
        if let verifier { try write(verifier.text + "\n", to: "checkpoint.vkey", mode: 0o644) }
        if includeSecrets {
            for name in ["checkpoint.key", "tokens.json"] where files.fileExists(atPath: dataDirectory.data + "/" + name) {
                try write(try String(contentsOfFile: dataDirectory.data + "/" + name, encoding: .utf8), to: name, mode: 0o600)
            }
        }
        let copy = try DataDirectoryOptions.openReadOnly(destination)
        if let text = try Checkpointer.latestStored(in: copy.environment) { try write(text, to: "checkpoint.txt", mode: 0o644) }
        let report = try OfflineAudit(store: copy).run(key: verifier)
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        print("copied \(report.log.eventsChecked) events to \(destination) in \(seconds) s; root \(report.log.root.base64)")
        if let problem = report.log.problem { print("FAILED      \(problem)") }
        if let problem = report.checkpointProblem { print("FAILED      checkpoint: \(problem)") }
        if let checkpoint = report.checkpoint, report.passed { print("verified    checkpoint at \(checkpoint.size) events, signature and root") }
        guard report.passed else { throw ExitCode(1) }
        print("PASSED")
    }

    private func write(_ text: String, to name: String, mode: Int) throws {
        let path = destination + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw CommandError("cannot write \(path)")
        }
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a backup and make it the data directory, refusing a directory a server is using.",
        discussion: """
        The backup is verified first (as `accord verify --data`), with its checkpoint.vkey unless --key is given. \
        An existing data directory is replaced only with --force, and never while a server holds it.
        """)

    @Argument(help: "A directory written by `accord backup`.") var backup: String
    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "The verifier key (text or file); default: the backup's checkpoint.vkey.") var key: String?
    @Flag(help: "Replace an existing (stopped) data directory.") var force = false

    func run() throws {
        let files = FileManager.default
        let target = dataDirectory.data
        guard let lock = DataDirectoryLock.ifFree(directory: target) else {
            throw CommandError("\(target) is in use by a running accord server; stop it before restoring")
        }
        defer { withExtendedLifetime(lock) {} }
        if files.fileExists(atPath: target + "/data.mdb"), !force {
            throw CommandError("\(target) already holds a data directory; pass --force to replace it")
        }
        let keyOption = key ?? (files.fileExists(atPath: backup + "/checkpoint.vkey") ? backup + "/checkpoint.vkey" : nil)
        let verifier = try SigningKeyLocation.verifier(keyOption, data: nil)
        let report = try OfflineAudit(store: DataDirectoryOptions.openReadOnly(backup)).run(key: verifier)
        guard report.passed else {
            throw CommandError("the backup does not verify: \(report.log.problem.map { "\($0)" } ?? report.checkpointProblem ?? "unknown")")
        }
        // Copy beside, then rename over: a crash never leaves half a data.mdb.
        let staged = target + "/data.mdb.restoring"
        try? files.removeItem(atPath: staged)
        try files.copyItem(atPath: backup + "/data.mdb", toPath: staged)
        try? files.removeItem(atPath: target + "/lock.mdb")
        guard rename(staged, target + "/data.mdb") == 0 else { throw CommandError("cannot move the restored data.mdb into \(target)") }
        for name in ["checkpoint.key", "tokens.json"] where files.fileExists(atPath: backup + "/" + name) {
            try? files.removeItem(atPath: target + "/" + name)
            try files.copyItem(atPath: backup + "/" + name, toPath: target + "/" + name)
            chmod(target + "/" + name, 0o600)
        }
        print("restored \(report.log.eventsChecked) events into \(target); root \(report.log.root.base64)")
    }
}
