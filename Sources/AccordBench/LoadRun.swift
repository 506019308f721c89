import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import Histogram

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
        return Result(
            eventsPerSecond: Double(histograms.totalCount) * Double(eventsPerAppend) / elapsed,
            p50: ms(50), p99: ms(99), p999: ms(99.9))
    }
}
