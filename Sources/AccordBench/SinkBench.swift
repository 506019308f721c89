import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import Logging
import PostgresNIO

/// `accord sink postgres` end to end: a large mixed history caught up into a
/// real PostgreSQL 15 (durable defaults), by a reader's sink and by an
/// auditor's that also copies every request; then the lag from append to
/// row in PostgreSQL while the server takes appends at a fixed rate.
struct SinkBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink",
        abstract: "Catch a PostgreSQL copy up with a large log, then measure its lag while appends arrive at a fixed rate.")

    @Option(help: "Events in the history.") var events: Int = 1_000_000
    @Option(help: "Agreements in the history.") var agreements: Int = 10_000
    @Option(help: "Appends per second while measuring the live lag.") var rate: Int = 1_000
    @Option(help: "Seconds of live appends.") var seconds: Double = 10
    @Flag(help: "Skip the auditor's catch-up (every request copied).") var skipRequests = false
    @Option(help: "Folder for the temporary data directory and PostgreSQL.") var scratch: String = NSTemporaryDirectory()
    @Flag(help: "Print only one machine-readable line per measurement.") var summary = false

    func run() async throws {
        let report = BenchReport(summary: summary)
        report.header(
            "accord bench sink: \(events) events, \(agreements) agreements; live \(rate)/s for \(seconds) s; PostgreSQL 15, fsync on")
        let dir = ScratchDirectory(in: scratch)
        let requests = try await fill(dir.path + "/data", report: report)
        let pg = try ScratchPostgres(fsync: true)
        try await pg.start()
        defer { pg.stop() }
        let server = try SpawnedServer.start(in: dir, data: dir.path + "/data")
        defer { server.stop() }
        let (host, port) = try Endpoint.parse(server.endpoint)
        let watcher = try await SinkWatcher.connect(port: pg.port)
        defer { watcher.close() }

        let reader = try SinkChild.start(server: server.endpoint, postgres: pg.url, schema: "accord")
        defer { reader.stop() }
        let head = try await AccordClient.connect(host: host, port: port) { try await $0.ping() }
        let caughtUp = try await measure(report, "reader", sink: reader, serverPort: port, pgPort: pg.port, events: Int(head)) {
            try await watcher.position(schema: "accord") >= head
        }
        report.row(
            "catch_up",
            [("mode", "reader"), ("events", "\(head)"), ("rows", "\(try await watcher.count("accord.register"))")] + caughtUp)
        // Live before the auditor's bulk load, whose WAL and checkpoints would land in it.
        let live = try await LiveLag(host: host, port: port, rate: rate, seconds: seconds, agreements: agreements)
            .run(watcher: watcher, sink: reader, pgPort: pg.port)
        report.row("live", live)
        if !skipRequests {
            let auditor = try SinkChild.start(server: server.endpoint, postgres: pg.url, schema: "audit", requests: true)
            let copied = try await measure(report, "auditor", sink: auditor, serverPort: port, pgPort: pg.port, events: requests) {
                try await watcher.count("audit.law_enforcement_requests") >= requests
            }
            auditor.stop()
            report.row("catch_up", [("mode", "auditor"), ("requests", "\(requests)")] + copied)
        }
    }

    /// Builds the history in the data directory; returns how many law-enforcement requests it holds.
    private func fill(_ path: String, report: BenchReport) async throws -> Int {
        let store = try await MixedHistory(agreements: agreements, events: events).fill(path, report: report)
        defer { store.close() }
        var requests = 0
        try store.read { txn in
            try store.log.scanRecords(in: txn) { record in
                if record.hasType("LawEnforcementAccessRecorded") { requests += 1 }
                return true
            }
        }
        return requests
    }

    /// Times `done` from now, with the CPU the sink, the server and PostgreSQL spent per event meanwhile.
    private func measure(
        _ report: BenchReport, _ label: String, sink: SinkChild, serverPort: Int, pgPort: Int, events: Int,
        until done: () async throws -> Bool
    ) async throws -> [(String, String)] {
        let cpu = CPUSet(sink: sink.pid, serverPort: serverPort, pgPort: pgPort)
        let start = ContinuousClock.now
        while try await !done() {
            guard sink.isRunning else { throw CommandError("the \(label) sink exited: \(sink.output)") }
            try await Task.sleep(for: .milliseconds(20))
            report.progress("\(label) catching up: \(fmt((ContinuousClock.now - start).seconds, 1)) s")
        }
        let elapsed = (ContinuousClock.now - start).seconds
        report.progress("\(label) caught up", done: true)
        let used = cpu.perEvent(events)
        return [
            ("seconds", fmt(elapsed, 2)), ("events_per_s", fmt(Double(events) / elapsed)), ("sink_cpu_us_per_event", fmt(used.sink, 2)),
            ("server_cpu_us_per_event", fmt(used.server, 2)), ("postgres_cpu_us_per_event", fmt(used.postgres, 2)),
        ]
    }
}

/// CPU seconds of the sink, the server and PostgreSQL since it was made.
struct CPUSet {
    let sink: ProcessCPU
    let server: ProcessCPU?
    let postgres: ProcessCPU?
    let start: (Double, Double, Double)

    init(sink pid: Int32, serverPort: Int, pgPort: Int) {
        sink = ProcessCPU(pid: pid)
        server = ProcessCPU(listeningOn: serverPort)
        postgres = ProcessCPU(listeningOn: pgPort)
        start = (sink.seconds(), server?.seconds() ?? 0, postgres?.seconds() ?? 0)
    }

    /// Microseconds of CPU per event for each.
    func perEvent(_ events: Int) -> (sink: Double, server: Double, postgres: Double) {
        let n = Double(max(events, 1)) / 1e6
        return (
            (sink.seconds() - start.0) / n, ((server?.seconds() ?? 0) - start.1) / n, ((postgres?.seconds() ?? 0) - start.2) / n
        )
    }
}
