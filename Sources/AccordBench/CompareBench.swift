import ArgumentParser
import CommandSupport
import Foundation
import Histogram

/// Accord beside the stores people would otherwise pick, in one run, with
/// one load generator: each connection appends one 400-byte event at a time
/// and waits for its acknowledgement. `ops/bench/compare` starts the peers.
struct CompareBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Durable appends: Accord beside Redis, PostgreSQL and NATS JetStream, and raw LMDB's ceiling.",
        discussion: """
            Give each peer's HOST:PORT; the peer must already run with the durability you mean to compare \
            (ops/bench/compare starts them). Without --accord, an accord server is started on a temporary folder.
            """)

    @Option(help: "A running Accord server, HOST:PORT.") var accord: String?
    @Option(help: "Redis, HOST:PORT (appendonly yes, appendfsync always).") var redis: String?
    @Option(help: "PostgreSQL, HOST:PORT, trust authentication (synchronous_commit on).") var postgres: String?
    @Option(help: "The PostgreSQL user.") var postgresUser = "postgres"
    @Option(help: "NATS with JetStream, HOST:PORT (sync_interval: always).") var nats: String?
    @Option(help: "A second NATS, HOST:PORT, that acknowledges before syncing (shown apart).") var natsUnsynced: String?
    @Option(help: "Comma-separated connection counts.") var connections = "1,8,64,256"
    @Option(help: "Seconds per store and connection count.") var seconds: Double = 5
    @Option(help: "Bytes of JSON data per event.") var size = 400
    @Option(help: "The spawned server's --spin-microseconds (its default, 0, never watches for a lone client's commits).")
    var spinMicroseconds: Int?
    @Flag(help: "Print one line per measurement: store connections events_per_s p50_ms p99_ms.") var summary = false

    func run() async throws {
        let counts = connections.split(separator: ",").compactMap { Int($0) }
        let payload = try benchPayload(bytes: size).bytes
        let serveArguments = spinMicroseconds.map { ["--spin-microseconds", String($0)] } ?? []
        let spawned = accord == nil ? try SpawnedServer.start(arguments: serveArguments) : nil
        defer { spawned?.stop() }
        var targets: [(String, String, any PeerWire)] = [("accord", accord ?? spawned!.endpoint, AccordWire())]
        if let redis { targets.append(("redis", redis, RedisWire())) }
        if let postgres { targets.append(("postgresql", postgres, PostgresWire(user: postgresUser))) }
        if let nats { targets.append(("nats", nats, NATSWire())) }
        if let natsUnsynced { targets.append(("nats-unsynced", natsUnsynced, NATSWire())) }
        if !summary {
            print("accord bench compare: \(payload.count)-byte events, one in flight per connection, \(fmt(seconds, 1)) s per cell")
        }
        var table = Table(columns: ["store"] + counts.map { "\($0) conn: ev/s  p50/p99 ms  cpu us/ev" }, rows: [])
        for (round, (label, endpoint, wire)) in targets.enumerated() {
            let (host, port) = try Endpoint.parse(endpoint)
            let process = ProcessCPU(listeningOn: port)
            try await PeerConnection.run(wire, host: host, port: port, name: "setup") { connection in
                let setup = wire.setup()
                if !setup.isEmpty { try await connection.exchange(setup) }
            }
            var cells = [label]
            for count in counts {
                let result = try await measure(
                    wire, host: host, port: port, connections: count, payload: payload, prefix: "r\(round)c\(count)x", process: process)
                let cpu = result.cpuMicroseconds.map { fmt($0, 1) } ?? "-"
                if summary {
                    print(
                        "\(label) connections=\(count) events_per_s=\(fmt(result.rate)) p50_ms=\(fmt(result.p50, 2)) p99_ms=\(fmt(result.p99, 2)) cpu_us_per_event=\(cpu)"
                    )
                }
                cells.append("\(fmt(result.rate))  \(fmt(result.p50, 2))/\(fmt(result.p99, 2))  \(cpu)")
            }
            table.rows.append(cells)
        }
        // The ceiling: synced LMDB commits of as many puts as there are connections, nothing else.
        var ceiling = ["raw LMDB (batch = conns)"]
        for count in counts {
            let dir = ScratchDirectory(in: NSTemporaryDirectory())
            let rate = try RawLMDBBench(path: dir.path, valueSize: size + 150, batch: count).run(seconds: min(seconds, 3))
            if summary { print("raw_lmdb batch=\(count) events_per_s=\(fmt(rate))") }
            ceiling.append(fmt(rate))
        }
        table.rows.append(ceiling)
        if !summary { table.print() }
    }

    /// One cell: throughput, latency, and the server's CPU per event when its
    /// process is visible (user + system time over the measured window,
    /// divided by the events acknowledged in it).
    private func measure(
        _ wire: any PeerWire, host: String, port: Int, connections: Int, payload: [UInt8], prefix: String, process: ProcessCPU?
    ) async throws -> (rate: Double, p50: Double, p99: Double, cpuMicroseconds: Double?) {
        // Everyone connects first (PostgreSQL forks a process per connection),
        // then all start together.
        let start = ContinuousClock.now + .milliseconds(300 + connections * 8)
        let deadline = start + .seconds(seconds)
        async let cpuAtStart: Double? = {
            try? await Task.sleep(until: start)
            return process?.seconds()
        }()
        // Read at the deadline, while every connection is still open: a
        // PostgreSQL backend's time leaves /proc with its connection.
        async let cpuAtEnd: Double? = {
            try? await Task.sleep(until: deadline)
            return process?.seconds()
        }()
        let total = try await withThrowingTaskGroup(of: Histogram<UInt64>.self) { group in
            for n in 0..<connections {
                group.addTask {
                    try await PeerConnection.run(wire, host: host, port: port, name: "\(prefix)\(n)") { connection in
                        try await Task.sleep(until: start)
                        return try await connection.drive(payload: payload, until: deadline)
                    }
                }
            }
            var total = Histogram<UInt64>.latencies()
            for try await part in group { total.add(part) }
            return total
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let (begin, end) = await (cpuAtStart, cpuAtEnd)
        let perEvent = begin.flatMap { begin in end.map { ($0 - begin) * 1_000_000 / Double(max(1, total.totalCount)) } }
        return (
            Double(total.totalCount) / elapsed, Double(total.valueAtPercentile(50)) / 1_000, Double(total.valueAtPercentile(99)) / 1_000,
            perEvent
        )

    }
}
