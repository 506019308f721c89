import AccordCore
import AccordJSON
import CommandSupport
import Foundation
import Histogram
import NIOCore
import Synchronization

/// Appends to the primary at a fixed rate over several lean connections
/// while a subscriber reads the replica, and times each event from its
/// acknowledgement by the primary (the replica's lag: copy, synced commit,
/// push) and from its request (end to end). Lines are prepared before the
/// clock starts and read without parsing, so that the generator costs the
/// two servers as little of the machine's cores as it can.
struct ReplicaLag {
    let primary: (host: String, port: Int)
    let replica: (host: String, port: Int)
    let rate: Int
    let seconds: Double
    let agreements: Int
    let connections = 8

    func run() async throws -> [(String, String)] {
        let total = Int(Double(rate) * seconds)
        var rng = SystemRandomNumberGenerator()
        let lines: [[UInt8]] = (0..<total).map { i in
            let event = MixedHistory.ongoing(i * 100 + 50, &rng)
            let request: JSONValue = [
                "id": .integer(Int64(i)), "op": "append", "agreementId": .string(MixedHistory.id(3 * (i % max(1, agreements / 3)))),
                "events": [
                    ["eventId": .string(UUID.timeOrdered().uuidString.lowercased()), "type": .string(event.typeName), "data": event.data]
                ],
            ]
            return request.canonicalBytes + [0x0A]
        }
        let marks = Marks(count: total)
        let cpu = (primary: ProcessCPU(listeningOn: primary.port), replica: ProcessCPU(listeningOn: replica.port))
        let before = (cpu.primary?.seconds() ?? 0, cpu.replica?.seconds() ?? 0)
        let (primary, replica, rate, connections) = (primary, replica, rate, connections)
        try await RawConnection.run(host: replica.host, port: replica.port) { subscriber in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var pushed = subscriber.inbound.makeAsyncIterator()
                    _ = try await pushed.next()
                    try await subscriber.outbound.write(ByteBuffer(string: #"{"id":1,"op":"subscribe","from":"end"}"# + "\n"))
                    while let line = try await pushed.next() {
                        let now = ContinuousClock.now
                        if let position = line.withUnsafeReadableBytes({ Self.lastInteger(after: Self.positionKey, in: $0) }) {
                            marks.arrived(position, at: now)
                        }
                    }
                }
                // The subscription starts well before the first append (loopback answers in well under a millisecond).
                let start = ContinuousClock.now + .milliseconds(500)
                try await withThrowingTaskGroup(of: Void.self) { appenders in
                    for connection in 0..<connections {
                        let mine = Array(stride(from: connection, to: total, by: connections))
                        appenders.addTask {
                            try await RawConnection.run(host: primary.host, port: primary.port) { raw in
                                var answers = raw.inbound.makeAsyncIterator()
                                _ = try await answers.next()
                                try await withThrowingTaskGroup(of: Void.self) { sides in
                                    sides.addTask {
                                        for index in mine {
                                            try await Task.sleep(until: start + .seconds(Double(index) / Double(rate)), clock: .continuous)
                                            marks.sent(index, at: .now)
                                            try await raw.outbound.write(ByteBuffer(bytes: lines[index]))
                                        }
                                    }
                                    for index in mine {
                                        guard let line = try await answers.next() else { break }
                                        let now = ContinuousClock.now
                                        if let position = line.withUnsafeReadableBytes({
                                            Self.lastInteger(after: Self.positionsKey, in: $0)
                                        }) {
                                            marks.acknowledged(index, position: position, at: now)
                                        }
                                    }
                                    try await sides.waitForAll()
                                }
                            }
                        }
                    }
                    try await appenders.waitForAll()
                }
                for _ in 0..<500 where !marks.allArrived {
                    try await Task.sleep(for: .milliseconds(20))
                }
                group.cancelAll()
            }
        }
        let (fromAck, fromRequest, acknowledged, missing) = marks.histograms()
        let events = Double(max(total, 1)) / 1e6
        func ms(_ histogram: Histogram<UInt64>, _ percentile: Double) -> String {
            fmt(Double(histogram.valueAtPercentile(percentile)) / 1_000, 1)
        }
        return [
            ("rate", "\(rate)"), ("events", "\(total)"), ("acknowledged", "\(acknowledged)"),
            ("lag_p50_ms", ms(fromAck, 50)), ("lag_p99_ms", ms(fromAck, 99)), ("lag_p999_ms", ms(fromAck, 99.9)),
            ("lag_max_ms", fmt(Double(fromAck.max) / 1_000, 1)), ("end_to_end_p99_ms", ms(fromRequest, 99)), ("not_seen", "\(missing)"),
            ("primary_cpu_us_per_event", fmt(((cpu.primary?.seconds() ?? 0) - before.0) / events, 1)),
            ("replica_cpu_us_per_event", fmt(((cpu.replica?.seconds() ?? 0) - before.1) / events, 1)),
        ]
    }

    static let positionKey = Array(#""position":"#.utf8)
    static let positionsKey = Array(#""positions":["#.utf8)

    /// The integer after the last occurrence of `key` in `line` (the
    /// top-level member: canonical objects put `data` first).
    static func lastInteger(after key: [UInt8], in line: UnsafeRawBufferPointer) -> UInt64? {
        guard line.count > key.count else { return nil }
        var start = line.count - key.count
        while start >= 0 {
            if line[start] == key[0], UnsafeRawBufferPointer(rebasing: line[start..<start + key.count]).elementsEqual(key) { break }
            start -= 1
        }
        guard start >= 0 else { return nil }
        var index = start + key.count
        var value: UInt64 = 0
        var digits = 0
        while index < line.count, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
            value = value * 10 + UInt64(line[index] - UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}

/// When each request was sent and acknowledged (and at which position),
/// and when each position arrived from the replica.
private final class Marks: Sendable {
    private struct State {
        var sent: [ContinuousClock.Instant?]
        var acknowledged: [(position: UInt64, at: ContinuousClock.Instant)?]
        var arrived: [UInt64: ContinuousClock.Instant] = [:]
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(sent: Array(repeating: nil, count: count), acknowledged: Array(repeating: nil, count: count)))
    }

    func sent(_ index: Int, at instant: ContinuousClock.Instant) { state.withLock { $0.sent[index] = instant } }

    func acknowledged(_ index: Int, position: UInt64, at instant: ContinuousClock.Instant) {
        state.withLock { $0.acknowledged[index] = (position, instant) }
    }

    func arrived(_ position: UInt64, at instant: ContinuousClock.Instant) { state.withLock { $0.arrived[position] = instant } }

    var allArrived: Bool {
        state.withLock { state in state.acknowledged.allSatisfy { $0 == nil || state.arrived[$0!.position] != nil } }
    }

    /// Lags from acknowledgement and from request, in microseconds; appends acknowledged; acknowledged events never seen.
    func histograms() -> (Histogram<UInt64>, Histogram<UInt64>, Int, Int) {
        state.withLock { state in
            var fromAck = Histogram<UInt64>.latencies()
            var fromRequest = Histogram<UInt64>.latencies()
            var acknowledged = 0
            var missing = 0
            for (index, ack) in state.acknowledged.enumerated() {
                guard let ack else { continue }
                acknowledged += 1
                guard let seen = state.arrived[ack.position], let sent = state.sent[index] else {
                    missing += 1
                    continue
                }
                fromAck.record(UInt64(max(0, (seen - ack.at).seconds * 1e6)))
                fromRequest.record(UInt64(max(0, (seen - sent).seconds * 1e6)))
            }
            return (fromAck, fromRequest, acknowledged, missing)
        }
    }
}
