import AccordCore
import AccordJSON
import ArgumentParser
import Client
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
    @Flag(help: "Also measure each connection count against servers with and without the Merkle tree, alternating, to report the tree's cost (needs no --server).")
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
        let (host, port) = try Serve.parse(server ?? spawned!.endpoint)
        report.header("accord bench server: \(host):\(port), \(size)-byte events, \(eventsPerAppend) per append, \(inflight) in flight per connection, durable sync on")
        let data = try benchPayload(bytes: size)
        if server == nil {
            // One synced LMDB commit on this disk, the floor for a single client's latency.
            let dir = ScratchDirectory(in: NSTemporaryDirectory())
            let median = try RawLMDBBench(path: dir.path, valueSize: size + 150, batch: 1).medianCommit(seconds: min(seconds, 3))
            report.row("raw_lmdb", ["commit_p50_ms": fmt(median * 1_000, 3)])
        }
        for count in connections.split(separator: ",").compactMap({ Int($0) }) {
            let result = try await LoadRun(host: host, port: port, data: data, eventsPerAppend: eventsPerAppend, inflight: inflight)
                .run(connections: count, seconds: seconds)
            report.row("append", [
                "connections": "\(count)", "events_per_s": fmt(result.eventsPerSecond),
                "p50_ms": fmt(result.p50, 2), "p99_ms": fmt(result.p99, 2), "p999_ms": fmt(result.p999, 2),
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
            let (host, port) = try Serve.parse(spawned.endpoint)
            return try await LoadRun(host: host, port: port, data: data, eventsPerAppend: eventsPerAppend, inflight: inflight)
                .run(connections: count, seconds: seconds).eventsPerSecond
        }
        report.row("tree_cost", cost.fields("connections", count))
    }
}

/// One measurement: `connections` clients appending for `seconds`.
///
/// Like `redis-benchmark`, the generator is lean so that it measures the
/// server: request lines are prepared once with only the event id filled in
/// per request, and responses are matched in order (the protocol answers a
/// connection's requests in order) by their `"ok":true` prefix.
struct LoadRun {
    struct Result {
        var eventsPerSecond: Double
        var p50: Double
        var p99: Double
        var p999: Double
    }

    let host: String
    let port: Int
    let data: CanonicalJSON
    let eventsPerAppend: Int
    let inflight: Int

    func run(connections: Int, seconds: Double) async throws -> Result {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let histograms = try await withThrowingTaskGroup(of: Histogram<UInt64>.self) { group in
            for connection in 0..<connections {
                let template = RequestTemplate(stream: "$bench-\(connection)", data: data, eventsPerAppend: eventsPerAppend)
                group.addTask {
                    try await RawConnection.run(host: host, port: port) { connection in
                        try await connection.drive(template: template, inflight: inflight, until: deadline)
                    }
                }
            }
            var total = Histogram<UInt64>.latencies()
            for try await part in group { total.add(part) }
            return total
        }
        let elapsed = (ContinuousClock.now - start).seconds
        func ms(_ p: Double) -> Double { Double(histograms.valueAtPercentile(p)) / 1_000 }
        return Result(eventsPerSecond: Double(histograms.totalCount) * Double(eventsPerAppend) / elapsed,
                      p50: ms(50), p99: ms(99), p999: ms(99.9))
    }
}

/// Fills the log, then times one subscriber reading it all from the start.
struct CatchUpRun {
    let host: String
    let port: Int
    let data: CanonicalJSON

    func run(events: Int, progress: @escaping @Sendable (Int) -> Void) async throws -> (events: Int, eventsPerSecond: Double) {
        let dataValue = try data.value()
        let head = try await AccordClient.connect(host: host, port: port) { client in try await client.request("ping")["head"]?.int64Value ?? 0 }
        var filled = Int(head)
        while filled < events {
            let round = min(events - filled, 64 * 500)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<64 {
                    let count = round / 64 + (worker < round % 64 ? 1 : 0)
                    guard count > 0 else { continue }
                    group.addTask {
                        try await AccordClient.connect(host: host, port: port) { client in
                            var left = count
                            while left > 0 {
                                let batch = (0..<min(left, 500)).map { _ in
                                    JSONValue.object(["eventId": .string(UUID.timeOrdered().uuidString.lowercased()), "type": "BenchEvent", "data": dataValue])
                                }
                                _ = try await client.request("append", ["agreementId": .string("$fill-\(worker)"), "events": .array(batch)])
                                left -= batch.count
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            filled += round
            progress(filled)
        }
        return try await RawConnection.run(host: host, port: port) { connection in
            try await connection.catchUp()
        }
    }
}
