import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import EventStore
import Foundation

/// `accord serve --follow` end to end: a new replica catching up with a large
/// primary, the lag from an append on the primary to its arrival at a
/// subscriber of the replica at a fixed rate, and the primary's append
/// throughput with and without a replica following.
struct ReplicaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replica",
        abstract: "Catch a new replica up with a large primary, measure its live lag, and the primary's throughput beside it.")

    @Option(help: "Events in the primary's history.") var events: Int = 1_000_000
    @Option(help: "Agreements in the history.") var agreements: Int = 10_000
    @Option(help: "Appends per second on the primary while measuring the live lag (comma-separated for several runs).")
    var rate: String = "10000"
    @Option(help: "Seconds of live appends, and of each throughput run.") var seconds: Double = 10
    @Option(help: "What the live runs append: agreements (validated and projected), bench (accord bench server's events), or both.")
    var kinds = "agreements,bench"
    @Option(help: "Connections appending, in the live runs and the throughput runs.") var connections: Int = 64
    @Option(help: "Folder for the temporary data directories.") var scratch: String = NSTemporaryDirectory()
    @Option(help: "Keep the primary's filled history in this folder and start each later run from a copy of it.")
    var history: String?
    @Flag(help: "Print only one machine-readable line per measurement.") var summary = false

    func run() async throws {
        let report = BenchReport(summary: summary)
        report.header(
            "accord bench replica: \(events) events, \(agreements) agreements; live \(rate)/s for \(seconds) s; \(connections) appenders")
        let dir = ScratchDirectory(in: scratch)
        try await fillPrimary(dir.path + "/primary", report: report)
        let primary = try SpawnedServer.start(in: ScratchDirectory(in: dir.path), data: dir.path + "/primary")
        defer { primary.stop() }
        let (host, port) = try Endpoint.parse(primary.endpoint)
        let head = try await AccordClient.connect(host: host, port: port) { try await $0.ping() }

        let replicaFolder = ScratchDirectory(in: dir.path)
        var replica = try SpawnedServer.start(in: replicaFolder, data: dir.path + "/replica", arguments: ["--follow", primary.endpoint])
        let replicaPort = try Endpoint.parse(replica.endpoint).1
        let cpu = (primary: ProcessCPU(listeningOn: port), replica: ProcessCPU(listeningOn: replicaPort))
        let before = (cpu.primary?.seconds() ?? 0, cpu.replica?.seconds() ?? 0)
        let start = ContinuousClock.now
        try await waitForCopy(of: head, port: replicaPort, report: report)
        let elapsed = (ContinuousClock.now - start).seconds
        let perEvent = { (used: Double) in fmt(used / Double(head) * 1e6, 2) }
        report.row(
            "catch_up",
            [
                ("events", "\(head)"), ("seconds", fmt(elapsed, 2)), ("events_per_s", fmt(Double(head) / elapsed)),
                ("replica_cpu_us_per_event", perEvent((cpu.replica?.seconds() ?? 0) - before.1)),
                ("primary_cpu_us_per_event", perEvent((cpu.primary?.seconds() ?? 0) - before.0)),
            ])

        for kind in try kinds.split(separator: ",").map(Self.kind) {
            for rate in rate.split(separator: ",").compactMap({ Int($0) }) {
                let live = try await ReplicaLag(
                    primary: (host, port), replica: (host, replicaPort), rate: rate, seconds: seconds, agreements: agreements,
                    connections: connections, kind: kind
                ).run()
                report.row("live", live)
            }
        }

        // Throughput: with the replica following, then without it (the same primary, a longer log).
        let load = LoadRun(
            host: host, port: port, data: try CanonicalJSON(["note": .string(String(repeating: "x", count: 400))]),
            eventsPerAppend: 1, inflight: 1)
        let primaryCPU = ProcessCPU(listeningOn: port)
        var cpuStart = primaryCPU?.seconds() ?? 0
        let with = try await load.run(connections: connections, seconds: seconds)
        let withCPU = (primaryCPU?.seconds() ?? 0) - cpuStart
        replica.stop()
        cpuStart = primaryCPU?.seconds() ?? 0
        let without = try await load.run(connections: connections, seconds: seconds)
        let withoutCPU = (primaryCPU?.seconds() ?? 0) - cpuStart
        let perEventOf = { (cpu: Double, run: LoadRun.Result) in fmt(cpu / (run.eventsPerSecond * seconds) * 1e6, 1) }
        report.row(
            "primary",
            [
                ("connections", "\(connections)"), ("with_replica_events_per_s", fmt(with.eventsPerSecond)),
                ("without_replica_events_per_s", fmt(without.eventsPerSecond)),
                ("ratio", fmt(with.eventsPerSecond / without.eventsPerSecond, 3)), ("with_p99_ms", fmt(with.p99, 2)),
                ("without_p99_ms", fmt(without.p99, 2)), ("with_primary_cpu_us_per_event", perEventOf(withCPU, with)),
                ("without_primary_cpu_us_per_event", perEventOf(withoutCPU, without)),
            ])
        // The replica, restarted, catches up with what it missed.
        replica = try SpawnedServer.start(in: replicaFolder, data: dir.path + "/replica", arguments: ["--follow", primary.endpoint])
        defer { replica.stop() }
        let final = try await AccordClient.connect(host: host, port: port) { try await $0.ping() }
        try await waitForCopy(of: final, port: try Endpoint.parse(replica.endpoint).1, report: report)
    }

    /// Fills the primary's history, or copies the one kept by `--history`.
    private func fillPrimary(_ path: String, report: BenchReport) async throws {
        guard let history else {
            return try await MixedHistory(agreements: agreements, events: events).fill(path, report: report).close()
        }
        let kept = history + "/data.mdb"
        if !FileManager.default.fileExists(atPath: kept) {
            try await MixedHistory(agreements: agreements, events: events).fill(history, report: report).close()
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: kept, toPath: path + "/data.mdb")
    }

    private static func kind(_ text: Substring) throws -> ReplicaLag.Kind {
        guard let kind = ReplicaLag.Kind(rawValue: String(text)) else { throw ValidationError("--kinds takes agreements and bench") }
        return kind
    }

    /// Waits until the replica has copied `head` events and follows live
    /// (its projections rebuilt after a bulk copy), showing its progress.
    private func waitForCopy(of head: Position, port: Int, report: BenchReport) async throws {
        try await AccordClient.connect(host: "127.0.0.1", port: port) { client in
            while true {
                let replication = try await client.request("health")["replication"]
                let copied = UInt64(replication?["head"]?.int64Value ?? 0)
                let following = replication?["state"] == "following"
                report.progress("replica copied \(copied)/\(head)", done: copied >= head && following)
                if copied >= head, following { return }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
