import ArgumentParser
import Checkpoints
import CommandSupport
import Foundation
import Transparency

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
