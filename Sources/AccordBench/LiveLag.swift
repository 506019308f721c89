import AccordClient
import AccordCore
import AccordJSON
import CommandSupport
import Foundation
import Histogram
import PostgresNIO
import Synchronization

/// Appends at a fixed rate while the sink follows, and times each event from
/// its append request to the PostgreSQL commit that made it visible (heard
/// as a `NOTIFY` from a trigger on `sink_state`, no polling).
struct LiveLag {
    let host: String
    let port: Int
    let rate: Int
    let seconds: Double
    let agreements: Int

    func run(watcher: SinkWatcher, sink: SinkChild, pgPort: Int) async throws -> [(String, String)] {
        try await watcher.notifyOnCommit(schema: "accord")
        let total = Int(Double(rate) * seconds)
        var rng = SystemRandomNumberGenerator()
        let bodies: [[String: JSONValue]] = (0..<total).map { i in
            let event = MixedHistory.ongoing(i * 100 + 50, &rng)
            return [
                "agreementId": .string(MixedHistory.id(3 * (i % max(1, agreements / 3)))),
                "events": [
                    ["eventId": .string(UUID.timeOrdered().uuidString.lowercased()), "type": .string(event.typeName), "data": event.data]
                ],
            ]
        }
        let timings = Timings()
        let cpu = CPUSet(sink: sink.pid, serverPort: port, pgPort: pgPort)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await watcher.connection.listen(on: "accord_sink_position") { notifications in
                    for try await notification in notifications {
                        if let position = UInt64(notification.payload) { timings.visible.withLock { $0.append((position, .now)) } }
                    }
                }
            }
            // LISTEN first; a commit heard late would only lengthen the lags measured.
            try await Task.sleep(for: .milliseconds(200))
            try await AccordClient.connect(host: host, port: port) { client in
                try await withThrowingTaskGroup(of: Void.self) { appends in
                    let start = ContinuousClock.now
                    for (i, body) in bodies.enumerated() {
                        try await Task.sleep(until: start + .seconds(Double(i) / Double(rate)), clock: .continuous)
                        appends.addTask {
                            let at = ContinuousClock.now
                            let result = try await client.request("append", body)
                            if let position = result["positions"]?.arrayValue?.first?.int64Value {
                                timings.sent.withLock { $0.append((UInt64(position), at)) }
                            }
                        }
                    }
                    try await appends.waitForAll()
                }
            }
            let last = timings.sent.withLock { $0.map(\.position).max() ?? 0 }
            for _ in 0..<500 where timings.visible.withLock({ ($0.last?.position ?? 0) <= last }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        let used = cpu.perEvent(total)
        var histogram = Histogram<UInt64>.latencies()
        let marks = timings.visible.withLock { $0 }
        var missing = 0
        for (position, at) in timings.sent.withLock({ $0 }) {
            guard let seen = marks.first(where: { $0.position > position }) else {
                missing += 1
                continue
            }
            histogram.record(UInt64(max(0, (seen.at - at).seconds * 1e6)))
        }
        func ms(_ percentile: Double) -> String { fmt(Double(histogram.valueAtPercentile(percentile)) / 1_000, 1) }
        return [
            ("rate", "\(rate)"), ("events", "\(total)"), ("commits", "\(marks.count)"), ("lag_p50_ms", ms(50)), ("lag_p99_ms", ms(99)),
            ("lag_p999_ms", ms(99.9)), ("lag_max_ms", fmt(Double(histogram.max) / 1_000, 1)), ("not_seen", "\(missing)"),
            ("sink_cpu_us_per_event", fmt(used.sink, 1)), ("server_cpu_us_per_event", fmt(used.server, 1)),
            ("postgres_cpu_us_per_event", fmt(used.postgres, 1)),
        ]
    }
}

/// When each position became visible in PostgreSQL, and when each event's append was sent.
private final class Timings: Sendable {
    let visible = Mutex<[(position: UInt64, at: ContinuousClock.Instant)]>([])
    let sent = Mutex<[(position: UInt64, at: ContinuousClock.Instant)]>([])
}
