import AccordCore
import ArgumentParser
import Checkpoints
import CommandSupport
import EventStore
import Foundation
import Transparency

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a backup and make it the data directory, refusing a directory a server is using.",
        discussion: """
            The backup is verified first (as `accord verify --data`), with its checkpoint.vkey unless --key is given. \
            An existing data directory is replaced only with --force, and never while a server holds it. The signing \
            key and tokens are restored when the backup holds them (accord backup --include-secrets); when it does \
            not, the server will not start until checkpoint.key is put back or a new key is recorded with accord key rotate.
            """)

    @Argument(help: "A directory written by `accord backup`.") var backup: String
    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "A verifier key (text or file), repeatable; default: the backup's checkpoint.vkey.") var key: [String] = []
    @Flag(help: "Replace an existing (stopped) data directory.") var force = false

    func run() throws {
        let files = FileManager.default
        let target = dataDirectory.data
        guard let lock = DataDirectoryLock.ifFree(directory: target, create: true) else {
            throw CommandError("\(target) is in use by a running accord server; stop it before restoring")
        }
        defer { withExtendedLifetime(lock) {} }
        if files.fileExists(atPath: target + "/data.mdb"), !force {
            throw CommandError("\(target) already holds a data directory; pass --force to replace it")
        }
        let keyOptions = !key.isEmpty ? key : try Self.vkeyLines(backup + "/checkpoint.vkey")
        let verifiers = try SigningKeyLocation.verifiers(keyOptions, data: nil)
        let report = try OfflineAudit(store: DataDirectoryOptions.openReadOnly(backup)).run(keys: verifiers)
        guard report.passed else {
            throw CommandError("the backup does not verify: \(report.log.problem.map { "\($0)" } ?? report.checkpointProblem ?? "unknown")")
        }
        // Copy beside, then rename over: a crash never leaves half a data.mdb.
        let staged = target + "/data.mdb.restoring"
        try? files.removeItem(atPath: staged)
        try PrivateFile.copy(backup + "/data.mdb", to: staged, mode: 0o640)
        // The replaced log's write-ahead segment goes first: replayed onto the restored file, it would add foreign commits.
        let segment = target + "/" + EventStore.segmentFileName
        if files.fileExists(atPath: segment) { try files.removeItem(atPath: segment) }
        try? files.removeItem(atPath: target + "/lock.mdb")
        guard rename(staged, target + "/data.mdb") == 0 else { throw CommandError("cannot move the restored data.mdb into \(target)") }
        for name in ["checkpoint.key", "tokens.json"] where files.fileExists(atPath: backup + "/" + name) {
            try? files.removeItem(atPath: target + "/" + name)
            try PrivateFile.copy(backup + "/" + name, to: target + "/" + name, mode: 0o600)
        }
        print("restored \(report.log.eventsChecked) events into \(target); root \(report.log.root.base64)")
        if !files.fileExists(atPath: target + "/checkpoint.key"), report.log.size > 0 {
            print(
                """
                no signing key: the backup holds none (taken without --include-secrets). Before starting the server, put \
                the log's checkpoint.key back into \(target) (mode 0600), or record a new key: accord key rotate --data \(target)
                """)
        }
    }

    /// The keys in a backup's checkpoint.vkey, one a line; none when it has no such file.
    static func vkeyLines(_ path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }
}
