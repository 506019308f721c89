import AccordCore
import AccordJSON
import EventStore
import Foundation
import LMDB

/// Concurrent durable appends through `EventStore`, one event per append.
struct AppendBench {
    struct Result {
        var events: Int
        var eventsPerSecond: Double
        var p50: Double
        var p99: Double
        var eventsPerCommit: Double
    }

    let path: String
    let eventSize: Int
    let randomIds: Bool
    /// `false` measures appends without the Merkle tree, for its cost.
    var merkleTree = true
    /// Spread appends over this many streams at random (default: one per appender).
    var streams: Int? = nil

    func run(appenders: Int, seconds: Double) async throws -> Result {
        let store = try EventStore(environment: Environment(path: path, options: .bench), logger: .quiet, merkleTree: merkleTree)
        let data = try benchPayload(bytes: eventSize)
        let commitsBefore = store.environment.info().lastTransactionID
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    var rng = SystemRandomNumberGenerator()
                    var mine: [Double] = []
                    while ContinuousClock.now < deadline {
                        let stream = try StreamName("DSA-\(streams.map { Int(rng.next() % UInt64($0)) } ?? appender)")
                        let t0 = ContinuousClock.now
                        try await store.append(
                            to: stream, events: [NewEvent(eventId: randomIds ? UUID() : .timeOrdered(), type: "BenchEvent", data: data)])
                        mine.append((ContinuousClock.now - t0).seconds)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append(contentsOf: $1) }.sorted()
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let commits = store.environment.info().lastTransactionID - commitsBefore
        store.close()
        return Result(
            events: latencies.count, eventsPerSecond: Double(latencies.count) / elapsed,
            p50: latencies.percentile(0.50), p99: latencies.percentile(0.99),
            eventsPerCommit: Double(latencies.count) / Double(max(commits, 1)))
    }
}

/// A JSON object of about `bytes` bytes, shaped like a register event.
func benchPayload(bytes: Int) throws -> CanonicalJSON {
    let base: [String: JSONValue] = [
        "agreementId": "DSA-00042", "recipient": "r-0007", "dataset": "npd", "items": ["name", "date_of_birth", "school"],
    ]
    let used = JSONValue.object(JSONObject(base)).canonicalBytes.count + 10
    var fields = base
    fields["note"] = .string(String(repeating: "x", count: max(0, bytes - used)))
    return try CanonicalJSON(.object(JSONObject(fields)))
}

extension Environment.Options {
    static var bench: Environment.Options {
        var options = Environment.Options()
        options.mapSize = 1 << 30
        options.maxMapSize = 64 << 30
        return options
    }
}

extension Array where Element == Double {
    /// The value at quantile `q` of a sorted array.
    func percentile(_ q: Double) -> Double {
        isEmpty ? 0 : self[Swift.min(count - 1, Int(Double(count) * q))]
    }
}
