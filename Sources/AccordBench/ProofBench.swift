import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import Histogram
import LMDB
import Registry
import Transparency

/// The Merkle tree's read side: offline verification speed, and inclusion
/// proofs served over loopback from a large tree.
struct ProofBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proofs",
        abstract: "Fill a log, time `verify` over it, then time inclusion proofs from a spawned server.")

    @Option(help: "Events in the log (the tree's leaves).") var events: Int = 1_000_000
    @Option(help: "Inclusion proofs to request, one at a time, at random positions.") var requests: Int = 20_000
    @Option(help: "Bytes of JSON data per event.") var size: Int = 100
    @Option(help: "Folder for the temporary data directory.") var scratch: String = NSTemporaryDirectory()
    @Flag(help: "Print only one machine-readable line per measurement.") var summary = false

    func run() async throws {
        let report = BenchReport(summary: summary)
        report.header("accord bench proofs: \(events) events of \(size) bytes, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let directory = ScratchDirectory(in: scratch)
        let data = directory.path + "/data"
        let fillRate = try await fill(data, report: report)
        report.row("fill", ["events": "\(events)", "events_per_s": fmt(fillRate)])

        var options = Environment.Options()
        options.readOnly = true
        let store = try EventStore(environment: Environment(path: data, options: options), logger: .quiet)
        let started = ContinuousClock.now
        let verified = try store.read { try LogVerifier(store: store).verify(in: $0) }
        let seconds = (ContinuousClock.now - started).seconds
        guard verified.problem == nil else { throw CommandError("verify found a problem: \(verified.problem!)") }
        report.row("verify", ["events": "\(verified.eventsChecked)", "events_per_s": fmt(Double(verified.eventsChecked) / seconds)])
        store.close()

        let server = try SpawnedServer.start(in: directory, data: data)
        defer { server.stop() }
        let (host, port) = try Endpoint.parse(server.endpoint)
        let (count, treeSize) = (requests, UInt64(events))
        let latencies = try await AccordClient.connect(host: host, port: port) { client in
            var histogram = Histogram<UInt64>.latencies()
            var random = SystemRandomNumberGenerator()
            for _ in 0..<count {
                let position = UInt64.random(in: 0..<treeSize, using: &random)
                let start = ContinuousClock.now
                let proof = try await client.request(
                    "prove_inclusion", ["position": .integer(Int64(position)), "treeSize": .integer(Int64(treeSize))])
                histogram.record(UInt64((ContinuousClock.now - start).seconds * 1_000_000))
                guard proof["path"]?.arrayValue?.isEmpty == false else { throw CommandError("an empty proof for position \(position)") }
            }
            return histogram
        }
        func ms(_ p: Double) -> String { fmt(Double(latencies.valueAtPercentile(p)) / 1_000, 3) }
        report.row(
            "inclusion", ["tree_size": "\(events)", "requests": "\(requests)", "p50_ms": ms(50), "p99_ms": ms(99), "p999_ms": ms(99.9)])
    }

    /// Appends `events` small events from 8 tasks, 1,000 per request, through
    /// the registry's hook so that `accord serve` opens the log without a rebuild.
    private func fill(_ data: String, report: BenchReport) async throws -> Double {
        let env = try Environment(path: data, options: .bench)
        let registry = try Registry(environment: env, logger: .quiet)
        let store = try EventStore(environment: env, hook: registry.hook, logger: .quiet)
        try registry.attach(store)
        let payload = try CanonicalJSON(["pad": .string(String(repeating: "x", count: max(0, size - 10)))])
        let (total, perTask) = (events, (events + 7) / 8)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var left = min(perTask, max(0, total - task * perTask))
                    while left > 0 {
                        let batch = (0..<min(1_000, left)).map { _ in NewEvent(eventId: .timeOrdered(), type: "Padding", data: payload) }
                        try await store.append(to: StreamName("$proofs-\(task)"), events: batch)
                        left -= batch.count
                    }
                }
            }
            try await group.waitForAll()
        }
        let rate = Double(events) / (ContinuousClock.now - started).seconds
        store.close()
        return rate
    }
}
