import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import Checkpoints
import CommandSupport
import Editions
import EventStore
import Foundation
import Transparency

struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a published edition of the register: workbooks, CSVs, a static site with a verifier, and a manifest.",
        discussion: """
            An edition is everything generated from the log prefix a signed checkpoint covers: register.ods and \
            register.xlsx (the department's sheets and a cover), a CSV per sheet, a static site (index.html: the \
            register to filter, a page per agreement, the law-enforcement statistics, the downloads and an in-browser \
            verifier), and edition.json naming every file's SHA-256. The same prefix always gives byte-identical files.

            Offline (--data DIR) or online (--server HOST:PORT, an admin or auditor token). The checkpoint is the newest \
            (default), the one of exactly --as-of POSITION events, or --checkpoint FILE (saved with accord verify --save). \
            Every event is hashed on the way and must make the signed root. --previous DIR compares with the edition \
            before: changes.csv and a sheet list what was added, changed and removed, and the corrections to periods \
            it had covered. Online, the edition is then put on the record: an EditionPublished event in $editions.

            --check DIR regenerates the edition DIR's edition.json describes and reports every file that differs.

            Exit status: 0 done (or --check found nothing), 1 a file differs or the log does not make the signed root, \
            2 a usage error, 3 the server could not be reached.
            """)

    @Option(help: "The data directory to publish from, offline.") var data = "./accord-data"
    @Option(help: "Publish online from this server, HOST:PORT (an admin or auditor token).") var server: String?
    @Option(name: .customLong("as-of"), help: "The edition covers exactly this many events (a checkpoint of that size).")
    var asOf: UInt64?
    @Option(help: "A signed checkpoint saved earlier (accord verify --save): the edition covers its events.") var checkpoint: String?
    @Option(help: "The folder to write the edition into (new, or holding this very edition).") var out: String?
    @Option(help: "The previous edition's folder, to list the changes since it.") var previous: String?
    @Option(help: "Regenerate the edition in this folder and report every file that differs.") var check: String?
    @Option(help: "The verifier key (text or file) the checkpoint must verify with; default: the data directory's or the server's.")
    var key: [String] = []
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard (out == nil) != (check == nil) else { throw ValidationError("give --out DIR to publish, or --check DIR to check an edition") }
        guard asOf == nil || checkpoint == nil else { throw ValidationError("give --as-of or --checkpoint, not both") }
        if check != nil, asOf != nil || checkpoint != nil || previous != nil {
            throw ValidationError("--check reads the checkpoint and the previous edition from the edition's own edition.json")
        }
    }

    func run() async throws {
        if let server {
            var configuration = try connection.configuration(endpoint: server, clientName: "accord-publish")
            configuration.requestTimeout = .seconds(max(60, Int64(connection.timeout)))
            try await AccordClient.connect(configuration) { client in try await publish(EditionLog.online(client)) }
        } else {
            let store = try DataDirectoryOptions.openReadOnly(data)
            defer { store.close() }
            try await publish(EditionLog.offline(store, data: data))
        }
    }

    private func publish(_ log: EditionLog) async throws {
        if check == nil { try log.checkRole() }
        let plan = try await self.plan(log)
        let started = ContinuousClock.now
        let events = EditionEvents(size: plan.checkpoint.checkpoint.size, root: plan.checkpoint.checkpoint.root, previous: plan.previous)
        let fold = try await log.fold(events)
        let edition = try Edition(
            fold: fold,
            source: Edition.Source(
                checkpoint: plan.checkpoint, verifierKey: plan.key, generator: "accord \(AccordVersion.current)", previous: plan.previous))
        let seconds = (ContinuousClock.now - started).seconds
        if let check {
            let problems = EditionDirectory(path: check).differences(from: edition)
            for problem in problems { print("DIFFERS  \(problem)") }
            let made = (try? JSONParser.parse(EditionDirectory(path: check).manifest()))?["generator"]?.stringValue
            if !problems.isEmpty, let made, made != edition.source.generator {
                print("note: the edition was made by \(made), this is \(edition.source.generator): regenerate it with that version")
            }
            print(problems.isEmpty ? "the edition in \(check) is exactly what the log gives (\(edition.allFiles.count) files)" : "FAILED")
            if !problems.isEmpty { throw ExitCode(1) }
            return
        }
        let out = self.out!
        let wrote = try EditionDirectory(path: out).write(edition)
        print(wrote ? "wrote the edition of \(edition.date) to \(out)" : "\(out) already holds this edition; nothing written")
        print(
            "  \(edition.allFiles.count) files, \(plan.checkpoint.checkpoint.size) events, root \(plan.checkpoint.checkpoint.root.base64)")
        print("  edition.json SHA-256 \(edition.manifestSHA256)")
        FileHandle.standardError.write(Data("generated in \(String(format: "%.2f", seconds)) s\n".utf8))
        guard let record = try await log.record(edition) else {
            print("  not on the record: publish online (--server) to record it in $editions")
            return
        }
        print("  recorded as EditionPublished at position \(record.position)\(record.duplicate ? " (already recorded)" : "")")
    }
}
