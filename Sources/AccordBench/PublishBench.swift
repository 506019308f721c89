import ArgumentParser
import Checkpoints
import CommandSupport
import EventStore
import Foundation
import Transparency

/// `accord publish` timed end to end as its own process (offline from the
/// data directory, and online from a spawned server), over a mixed history
/// of `--agreements` and `--events`, with its CPU time beside the wall time.
struct PublishBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Write an edition (accord publish) of a mixed history, offline and online.")

    @Option(help: "Agreements in the history.") var agreements: Int = 10_000
    @Option(help: "Events in the history.") var events: Int = 1_000_000
    @Option(help: "Runs of each publish.") var runs: Int = 3
    @Option(help: "Reuse (or keep) this data directory instead of a temporary one.") var data: String?
    @Option(help: "Folder for temporary data directories.") var scratch: String = NSTemporaryDirectory()
    @Flag(help: "Skip the online publish.") var offlineOnly = false
    @Flag(help: "Print only one machine-readable line per measurement.") var summary = false

    func run() async throws {
        let report = BenchReport(summary: summary)
        report.header("accord bench publish: \(agreements) agreements, \(events) events")
        let directory = ScratchDirectory(in: scratch)
        let path = data ?? directory.path + "/data"
        if !FileManager.default.fileExists(atPath: path + "/data.mdb") {
            let store = try await MixedHistory(agreements: agreements, events: events).fill(path, report: report)
            let key = try SigningKeyFile.loadOrCreate(at: path + "/checkpoint.key", name: "bench.example/accord")
            try Checkpointer(store: store, key: key).persist()
            store.close()
        }
        let accord = try SpawnedServer.accordBinary()
        // Each run writes a new folder, kept until the end: ext4 allocates
        // inodes slowly just after thousands were deleted, which a quarterly
        // run never meets.
        for run in 1...runs {
            let out = directory.path + "/edition-offline-\(run)"
            let (seconds, cpu) = try Self.time(accord, ["publish", "--data", path, "--out", out])
            report.row("offline", ["run": "\(run)", "seconds": fmt(seconds, 2), "cpu_s": fmt(cpu, 2), "files": "\(Self.count(out))"])
        }
        guard !offlineOnly else { return }
        let server = try SpawnedServer.start(in: directory, data: path)
        defer { server.stop() }
        for run in 1...runs {
            let out = directory.path + "/edition-online-\(run)"
            let (seconds, cpu) = try Self.time(accord, ["publish", "--server", server.endpoint, "--out", out])
            report.row("online", ["run": "\(run)", "seconds": fmt(seconds, 2), "client_cpu_s": fmt(cpu, 2)])
        }
    }

    /// Runs `accord` with `arguments`; its wall time and its CPU time (user and system).
    static func time(_ binary: URL, _ arguments: [String]) throws -> (Double, Double) {
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let seconds = (ContinuousClock.now - start).seconds
        guard process.terminationStatus == 0 else {
            throw CommandError("accord \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        var after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        func total(_ u: rusage) -> Double {
            Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
        }
        return (seconds, total(after) - total(before))
    }

    static func count(_ path: String) -> Int {
        var n = 0
        let enumerator = FileManager.default.enumerator(atPath: path)
        while enumerator?.nextObject() != nil { n += 1 }
        return n
    }
}
