import AccordJSON
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import LMDB

/// In-process benchmark of the event store, beside raw LMDB in the same run.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Durable appends through EventStore with N concurrent appenders, a full read, and raw LMDB ceilings.")

    @Option(help: "Comma-separated counts of concurrent appenders.") var appenders: String = "1,8,64,256"
    @Option(help: "Seconds per appender count.") var seconds: Double = 5
    @Option(help: "Bytes of JSON data per event.") var size: Int = 400
    @Option(help: "Events to fill and read back for the read benchmark (0 skips it).") var readEvents: Int = 1_000_000
    @Option(help: "Comma-separated raw LMDB batch sizes (empty skips them).") var rawBatches: String = "1,64,256,1024"
    @Option(help: "Folder for temporary data directories.") var scratch: String = NSTemporaryDirectory()
    @Flag(help: "Use random (version 4) event ids instead of time-ordered (version 7) ones.") var randomIds = false
    @Flag(help: "Also measure each appender count with and without the Merkle tree, alternating, to report the tree's cost.")
    var treeCost = false
    @Option(help: "Alternating rounds with and without the tree for --tree-cost (the median ratio is reported).") var rounds = 5
    @Flag(help: "Print only one machine-readable line per measurement.") var summary = false

    func run() async throws {
        let report = BenchReport(summary: summary)
        report.header("accord bench store: \(size)-byte events, durable sync on, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for batch in rawBatches.split(separator: ",").compactMap({ Int($0) }) {
            let dir = ScratchDirectory(in: scratch)
            let rate = try RawLMDBBench(path: dir.path, valueSize: size + 150, batch: batch).run(seconds: min(seconds, 3))
            report.row("raw_lmdb", ["batch": "\(batch)", "events_per_s": fmt(rate)])
        }
        for count in appenders.split(separator: ",").compactMap({ Int($0) }) {
            let dir = ScratchDirectory(in: scratch)
            let result = try await AppendBench(path: dir.path, eventSize: size, randomIds: randomIds).run(
                appenders: count, seconds: seconds)
            report.row(
                randomIds ? "append_v4" : "append",
                [
                    "appenders": "\(count)", "events_per_s": fmt(result.eventsPerSecond),
                    "p50_ms": fmt(result.p50 * 1_000, 2), "p99_ms": fmt(result.p99 * 1_000, 2),
                    "events_per_commit": fmt(result.eventsPerCommit, 1),
                ])
            if treeCost { try await measureTreeCost(appenders: count, report: report) }
        }
        if readEvents > 0 {
            let dir = ScratchDirectory(in: scratch)
            let result = try await ReadBench(path: dir.path, eventSize: size).run(events: readEvents) { done in
                report.progress("filling \(done)/\(readEvents)", done: done == readEvents)
            }
            report.row("read_all", ["events": "\(result.events)", "events_per_s": fmt(result.decodedPerSecond)])
            report.row("raw_scan", ["events": "\(result.events)", "events_per_s": fmt(result.rawPerSecond)])
        }
    }
}

extension StoreBench {
    func measureTreeCost(appenders count: Int, report: BenchReport) async throws {
        let cost = try await TreeCost.measure(rounds: rounds) { tree in
            let dir = ScratchDirectory(in: scratch)
            var bench = AppendBench(path: dir.path, eventSize: size, randomIds: randomIds)
            bench.merkleTree = tree
            return try await bench.run(appenders: count, seconds: seconds).eventsPerSecond
        }
        report.row("tree_cost", cost.fields("appenders", count))
    }
}
