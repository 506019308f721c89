import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import Histogram

/// A load generator for a running server, like `redis-benchmark` or `nats bench`.
struct ServerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Durable appends over the protocol with N connections; optionally a subscriber catching up from the start.")

    @Option(help: "The server, HOST:PORT; omit to start one on a temporary data folder.") var server: String?
    @Option(help: "Comma-separated connection counts.") var connections = "1,8,64,256"
    @Option(help: "Requests in flight per connection.") var inflight = 1
    @Option(help: "Events per append.") var eventsPerAppend = 1
    @Option(help: "Bytes of JSON data per event.") var size = 400
    @Option(help: "Seconds per connection count.") var seconds: Double = 5
    @Option(help: "Fill the log to this many events, then time a subscriber catching up from the start (0 skips).") var catchUp = 0
    @Flag(
        help:
            "Also measure each connection count against servers with and without the Merkle tree, alternating, to report the tree's cost (needs no --server)."
    )
    var treeCost = false
    @Option(help: "Alternating rounds with and without the tree for --tree-cost (the median ratio is reported).") var rounds = 3
    @Flag(help: "Print one line per measurement: name events_per_s=N p50_ms=X p99_ms=Y.") var summary = false

    func validate() throws {
        if treeCost, server != nil { throw ValidationError("--tree-cost starts its own servers, with and without the tree: omit --server") }
    }

    func run() async throws {
        let report = BenchReport(summary: summary)
        let spawned = server == nil ? try SpawnedServer.start() : nil
        defer { spawned?.stop() }
        let (host, port) = try Endpoint.parse(server ?? spawned!.endpoint)
        report.header(
            "accord bench server: \(host):\(port), \(size)-byte events, \(eventsPerAppend) per append, \(inflight) in flight per connection, durable sync on"
        )
        let data = try benchPayload(bytes: size)
        if server == nil {
            // One synced LMDB commit on this disk, the floor for a single client's latency.
            let dir = ScratchDirectory(in: NSTemporaryDirectory())
            let median = try RawLMDBBench(path: dir.path, valueSize: size + 150, batch: 1).medianCommit(seconds: min(seconds, 3))
            report.row("raw_lmdb", ["commit_p50_ms": fmt(median * 1_000, 3)])
        }
        for count in connections.split(separator: ",").compactMap({ Int($0) }) {
            let process = ProcessCPU(listeningOn: port)
            let cpuBefore = process?.seconds()
            let result = try await LoadRun(host: host, port: port, data: data, eventsPerAppend: eventsPerAppend, inflight: inflight)
                .run(connections: count, seconds: seconds)
            // The server's CPU per event, when its process is on this machine (connection set-up included).
            let cpu = cpuBefore.flatMap { before in
                process.map { ($0.seconds() - before) * 1_000_000 / max(1, result.eventsPerSecond * seconds) }
            }
            report.row(
                "append",
                [
                    "connections": "\(count)", "events_per_s": fmt(result.eventsPerSecond),
                    "p50_ms": fmt(result.p50, 2), "p99_ms": fmt(result.p99, 2), "p999_ms": fmt(result.p999, 2),
                    "cpu_us_per_event": cpu.map { fmt($0, 1) } ?? "-",
                ])

            if treeCost { try await measureTreeCost(connections: count, data: data, report: report) }
        }
        if catchUp > 0 {
            let rate = try await CatchUpRun(host: host, port: port, data: data).run(events: catchUp) { done in
                report.progress("filling \(done)/\(catchUp)", done: done >= catchUp)
            }
            report.row("catch_up", ["events": "\(rate.events)", "events_per_s": fmt(rate.eventsPerSecond)])
        }
    }
}

extension ServerBench {
    /// Each run gets a fresh server on a fresh data folder, so the two kinds
    /// of run differ only in the tree.
    func measureTreeCost(connections count: Int, data: CanonicalJSON, report: BenchReport) async throws {
        let cost = try await TreeCost.measure(rounds: rounds) { tree in
            let spawned = try SpawnedServer.start(arguments: tree ? [] : ["--without-merkle-tree"])
            defer { spawned.stop() }
            let (host, port) = try Endpoint.parse(spawned.endpoint)
            return try await LoadRun(host: host, port: port, data: data, eventsPerAppend: eventsPerAppend, inflight: inflight)
                .run(connections: count, seconds: seconds).eventsPerSecond
        }
        report.row("tree_cost", cost.fields("connections", count))
    }
}
