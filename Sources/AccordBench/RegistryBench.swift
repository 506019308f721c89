import AccordCore
import AccordJSON
import Agreements
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import LMDB
import Registry

/// A realistic mixed history through domain validation, then a rebuild and an
/// as-of query over it, beside the bare store's throughput in the same run.
struct RegistryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Append a mixed agreements history through validation, rebuild the projections, and query as of a past position.")

    @Option(help: "Agreements in the history.") var agreements: Int = 10_000
    @Option(help: "Events in the history.") var events: Int = 1_000_000
    @Option(help: "Concurrent appenders.") var appenders: Int = 256
    @Option(help: "Seconds of bare event-store appends to compare with (0 skips).") var baselineSeconds: Double = 5
    @Option(help: "Folder for temporary data directories.") var scratch: String = NSTemporaryDirectory()
    @Flag(help: "Print only one machine-readable line per measurement.") var summary = false

    func run() async throws {
        let report = BenchReport(summary: summary)
        report.header("accord bench registry: \(agreements) agreements, \(events) events, \(appenders) appenders, durable sync on")
        // The bare store twice: one stream per appender (as `bench store`), and the
        // same number of streams as the history has agreements, which is the
        // like-for-like baseline (each stream's entry is rewritten per commit).
        var baselines: [(streams: Int, eventsPerSecond: Double)] = []
        if baselineSeconds > 0 {
            for streams in [nil, agreements] {
                let dir = ScratchDirectory(in: scratch)
                let baseline = try await AppendBench(path: dir.path, eventSize: 400, randomIds: false, streams: streams)
                    .run(appenders: appenders, seconds: baselineSeconds)
                baselines.append((streams ?? appenders, baseline.eventsPerSecond))
                report.row(
                    "store",
                    ["appenders": "\(appenders)", "streams": "\(streams ?? appenders)", "events_per_s": fmt(baseline.eventsPerSecond)])
            }
        }
        let dir = ScratchDirectory(in: scratch)
        let env = try Environment(path: dir.path, options: .bench)
        let registry = try Registry(environment: env, logger: .quiet)
        let store = try EventStore(environment: env, hook: registry.hook, logger: .quiet)
        let history = MixedHistory(agreements: agreements, events: events)
        let commitsBefore = env.info().lastTransactionID
        let start = ContinuousClock.now
        try await history.append(to: store, appenders: appenders) { done in
            report.progress("appended \(done)/\(events)", done: done >= events)
        }
        let appendSeconds = (ContinuousClock.now - start).seconds
        let commits = env.info().lastTransactionID - commitsBefore
        let validated = Double(store.head) / appendSeconds
        report.row(
            "validated",
            [
                "appenders": "\(appenders)", "events": "\(store.head)", "events_per_s": fmt(validated),
                "events_per_commit": fmt(Double(store.head) / Double(max(commits, 1)), 1),
            ])
        for baseline in baselines {
            report.row("kept", ["of_store_with_streams": "\(baseline.streams)", "pct": fmt(100 * validated / baseline.eventsPerSecond, 1)])
        }

        let t0 = ContinuousClock.now
        try registry.rebuild(store) { done, total in
            if done % 262_144 < 65_536 || done == total { report.progress("rebuilt \(done)/\(total)", done: done == total) }
        }
        let rebuildSeconds = (ContinuousClock.now - t0).seconds
        report.row("rebuild", ["events": "\(store.head)", "events_per_s": fmt(Double(store.head) / rebuildSeconds)])

        // Any point before the head is a replay; the last event is the longest one.
        for position in [store.head / 2, store.head - 1] {
            let t1 = ContinuousClock.now
            let past = try registry.state(asOf: .position(position), in: store)
            let rows = past.register(on: CalendarDate("2025-06-01")!)
            report.row(
                "as_of", ["position": "\(position)", "rows": "\(rows.count)", "seconds": fmt((ContinuousClock.now - t1).seconds, 3)])
        }
        store.close()
    }
}
