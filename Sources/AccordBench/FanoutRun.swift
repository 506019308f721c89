import CommandSupport
import Foundation
import Histogram
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One fan-out measurement: `subscribers` following the log live (and
/// `watchers` watching the register) while one connection appends at `rate`
/// per second for `seconds`.
///
/// Each pushed event's latency is from its append's acknowledgement (as the
/// appender saw it) to its arrival at a subscriber; a push that arrives
/// before the acknowledgement counts as zero. `fromSend` is from the time
/// the append was due to be sent (the rate's schedule; the first push is
/// the first append), so it does not depend on when the server acknowledges. Lines are matched by bytes
/// (responses and pushes are canonical), never parsed, so the generator
/// measures the server.
struct FanoutRun {
    struct Result {
        var appended: Int
        var pushes: Int
        var watchRows: Int
        var latency: Histogram<UInt64>
        var fromSend: Histogram<UInt64> = .latencies()
        /// Seconds of appending.
        var seconds: Double
        /// Seconds from the first append until the last subscriber had every event.
        var deliverySeconds = 0.0
    }

    let host: String
    let port: Int
    let template: RequestTemplate
    let subscribers: Int
    let watchers: Int
    let rate: Int
    let seconds: Double

    /// What the appender and the followers share: when each position was acknowledged, and how many followers are ready.
    private final class Shared: Sendable {
        let acknowledged = Mutex<[UInt64: ContinuousClock.Instant]>([:])
        let ready = Mutex(0)
        /// When the first append is due; the rest follow at the rate.
        let start = Mutex<ContinuousClock.Instant?>(nil)
        /// The last measured append's position, once known: a subscriber stops past it.
        let last = Mutex<UInt64?>(nil)
    }

    func run() async throws -> Result {
        let shared = Shared()
        let followers = subscribers + watchers
        return try await withThrowingTaskGroup(of: Result.self) { group in
            for n in 0..<followers {
                let watch = n >= subscribers
                group.addTask {
                    try await RawConnection.run(host: host, port: port) { connection in
                        try await connection.follow(
                            watch: watch, ready: { shared.ready.withLock { $0 += 1 } },
                            acknowledgedAt: { position in shared.acknowledged.withLock { $0[position] } },
                            due: { offset in
                                shared.start.withLock { $0 }.map { $0 + .nanoseconds(Int64(Double(offset) * 1e9 / Double(rate))) }
                            },
                            last: { shared.last.withLock { $0 } })
                    }
                }
            }
            while shared.ready.withLock({ $0 }) < followers { try await Task.sleep(for: .milliseconds(10)) }
            let started = ContinuousClock.now
            let (appended, last) = try await RawConnection.run(host: host, port: port) { connection in
                try await connection.appendAtRate(
                    template: template, rate: rate, seconds: seconds, started: { start in shared.start.withLock { $0 = start } }
                ) { position, at in
                    shared.acknowledged.withLock { $0[position] = at }
                }
            }
            let elapsed = (ContinuousClock.now - started).seconds
            shared.last.withLock { $0 = last }
            // One more append, so every subscriber gets a line after `last` is known, and stops.
            _ = try await RawConnection.run(host: host, port: port) { connection in
                try await connection.appendAtRate(template: template, rate: 1, seconds: 1) { _, _ in }
            }
            // Subscribers end once they have every event, watchers then; a minute at most.
            group.addTask {
                try? await Task.sleep(for: .seconds(60))
                return Result(appended: 0, pushes: 0, watchRows: 0, latency: .latencies(), seconds: -1)
            }
            var total = Result(appended: appended, pushes: 0, watchRows: 0, latency: .latencies(), seconds: elapsed)
            var finished = 0
            if subscribers == 0 { group.cancelAll() }
            while let part = try await group.next() {
                guard part.seconds >= 0 else {
                    group.cancelAll()
                    continue
                }
                total.pushes += part.pushes
                total.watchRows += part.watchRows
                total.latency.add(part.latency)
                total.fromSend.add(part.fromSend)
                finished += 1
                if finished == subscribers {
                    total.deliverySeconds = (ContinuousClock.now - started).seconds
                    group.cancelAll()
                }
            }
            return total
        }
    }
}

extension RawConnection {
    /// Subscribes from the end (or watches the register) and records every push until `finished`.
    fileprivate func follow(
        watch: Bool, ready: @Sendable () -> Void, acknowledgedAt: @Sendable (UInt64) -> ContinuousClock.Instant?,
        due: @Sendable (UInt64) -> ContinuousClock.Instant?,
        last: @Sendable () -> UInt64?
    ) async throws -> FanoutRun.Result {
        var lines = inbound.makeAsyncIterator()
        _ = try await lines.next()  // the info line
        let request = watch ? #"{"id":1,"op":"watch","projection":"register"}"# : #"{"id":1,"op":"subscribe","from":"end"}"#
        try await outbound.write(ByteBuffer(string: request + "\n"))
        _ = try await lines.next()  // the response
        ready()
        var result = FanoutRun.Result(appended: 0, pushes: 0, watchRows: 0, latency: .latencies(), seconds: 0)
        /// The first event pushed: the first append (the subscription starts at the end before appends begin).
        var first: UInt64?
        let event = Array(#""event":"#.utf8)
        let watchLine = Array(#"{"watch":"#.utf8)
        let position = Array(#""position":"#.utf8)
        // The run ends by cancelling this task, which ends the wait for the next line.
        while !Task.isCancelled {
            guard let line = try? await lines.next() else { break }
            let now = ContinuousClock.now
            if watch {
                if line.readableBytesView.starts(with: watchLine) { result.watchRows += 1 }
                continue
            }
            // The benchmark's data has no "position" member, so the first one is the event's.
            guard line.withUnsafeReadableBytes({ Self.find(event, in: $0) }) != nil,
                let value = line.withUnsafeReadableBytes({ Self.integer(after: position, in: $0) })
            else { continue }
            if let last = last(), value > last { break }  // the closing append: not measured
            result.pushes += 1
            let latency = acknowledgedAt(value).map { now > $0 ? (now - $0).seconds : 0 } ?? 0
            _ = result.latency.record(UInt64(latency * 1_000_000))
            first = first ?? value
            let fromSend = due(value - (first ?? value)).map { now > $0 ? (now - $0).seconds : 0 } ?? 0
            _ = result.fromSend.record(UInt64(fromSend * 1_000_000))
            if let last = last(), value == last { break }
        }
        return result
    }

    /// Appends one event every 1/`rate` s for `seconds`, pipelined; reports each acknowledgement's position and time.
    fileprivate func appendAtRate(
        template: RequestTemplate, rate: Int, seconds: Double, started: @Sendable (ContinuousClock.Instant) -> Void = { _ in },
        acknowledged: @escaping @Sendable (UInt64, ContinuousClock.Instant) -> Void
    ) async throws -> (answered: Int, last: UInt64) {
        var lines = inbound.makeAsyncIterator()
        _ = try await lines.next()
        let total = Int(Double(rate) * seconds)
        let outbound = outbound
        let start = ContinuousClock.now
        started(start)
        return try await withThrowingTaskGroup(of: Int.self) { group -> (answered: Int, last: UInt64) in
            group.addTask {
                for n in 0..<total {
                    let due = start + .nanoseconds(Int64(Double(n) * 1e9 / Double(rate)))
                    if due > .now { try await Task.sleep(until: due, clock: .continuous) }
                    try await outbound.write(ByteBuffer(bytes: template.line(id: n)))
                }
                return 0
            }
            var answered = 0
            var last: UInt64 = 0
            let positions = Array(#""positions":["#.utf8)
            while answered < total, let line = try await lines.next() {
                let now = ContinuousClock.now
                guard line.withUnsafeReadableBytes(RequestTemplate.isAcknowledgement),
                    let value = line.withUnsafeReadableBytes({ Self.integer(after: positions, in: $0) })
                else {
                    throw CommandError("the server refused a benchmark append: \(String(buffer: line))")
                }
                acknowledged(value, now)
                last = max(last, value)
                answered += 1
            }
            try await group.waitForAll()
            return (answered, last)
        }
    }
}

extension RawConnection {
    /// Where `needle` starts in `bytes`: a plain scan over contiguous bytes,
    /// since the generator must stay cheap per line.
    fileprivate static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= needle.count, let first = needle.first else { return nil }
        return needle.withUnsafeBytes { pattern in
            var index = 0
            while index <= bytes.count - needle.count {
                if bytes[index] == first, memcmp(bytes.baseAddress! + index, pattern.baseAddress!, needle.count) == 0 { return index }
                index += 1
            }
            return nil
        }
    }

    /// The decimal integer right after `key` in `bytes`.
    fileprivate static func integer(after key: [UInt8], in bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard var index = find(key, in: bytes).map({ $0 + key.count }) else { return nil }
        var value: UInt64 = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            value = value * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        return value
    }
}
