import AccordCore
import AccordJSON
import CommandSupport
import Foundation
import Histogram
import NIOCore
import NIOExtras
import NIOPosix
import Synchronization

/// Appends to the primary at a fixed rate while a subscriber reads the
/// replica, and times each event from its commit on the primary (its
/// `recordedAt`, on this machine's clock) to its arrival at that
/// subscriber: the replica's lag (the push to it, its copy and synced
/// commit, and its push on). Arrivals are timed in a channel handler on an
/// event loop of their own; requests are prepared before the clock starts
/// and sent by one pacing task in 5 ms ticks over many connections, so the
/// generator costs the two servers as little of the machine as it can.
struct ReplicaLag {
    let primary: (host: String, port: Int)
    let replica: (host: String, port: Int)
    let rate: Int
    let seconds: Double
    let agreements: Int
    /// Appending connections: the primary's group commit needs many to reach high rates.
    let connections: Int
    /// What is appended: agreement events (validated and projected by both servers) or
    /// `accord bench server`'s events in `$bench-N` streams (no domain rules).
    let kind: Kind

    enum Kind: String, CaseIterable, Sendable {
        case agreements, bench
    }
    private static let tick = Duration.milliseconds(5)

    func run() async throws -> [(String, String)] {
        let total = Int(Double(rate) * seconds)
        var rng = SystemRandomNumberGenerator()
        let note = JSONValue.string(String(repeating: "x", count: 400))
        let lines: [ByteBuffer] = (0..<total).map { i in
            let (stream, type, data): (String, String, JSONValue)
            switch kind {
            case .agreements:
                let event = MixedHistory.ongoing(i * 100 + 50, &rng)
                (stream, type, data) = (MixedHistory.id(3 * (i % max(1, agreements / 3))), event.typeName, event.data)
            case .bench: (stream, type, data) = ("$bench-\(i % 64)", "BenchEvent", ["note": note])
            }
            let request: JSONValue = [
                "id": .integer(Int64(i)), "op": "append", "agreementId": .string(stream),
                "events": [["eventId": .string(UUID.timeOrdered().uuidString.lowercased()), "type": .string(type), "data": data]],
            ]
            return ByteBuffer(bytes: request.canonicalBytes + [0x0A])
        }
        let arrivals = Arrivals()
        let cpu = (primary: ProcessCPU(listeningOn: primary.port), replica: ProcessCPU(listeningOn: replica.port))
        let before = (cpu.primary?.seconds() ?? 0, cpu.replica?.seconds() ?? 0)
        let subscriber = try await ClientBootstrap(group: RawConnection.timingLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: 64 << 20))
                    try channel.pipeline.syncOperations.addHandler(ArrivalRecorder(arrivals: arrivals))
                }
            }
            .connect(host: replica.host, port: replica.port).get()
        try await subscriber.writeAndFlush(ByteBuffer(string: #"{"id":1,"op":"subscribe","from":"end"}"# + "\n"))
        defer { subscriber.close(promise: nil) }
        try await Task.sleep(for: .milliseconds(300))
        let acknowledged = try await send(lines)
        for _ in 0..<500 where arrivals.count < acknowledged {
            try await Task.sleep(for: .milliseconds(20))
        }
        let (histogram, seen, repeated) = arrivals.histogram()
        let events = Double(max(total, 1)) / 1e6
        func ms(_ percentile: Double) -> String { fmt(Double(histogram.valueAtPercentile(percentile)) / 1_000, 1) }
        return [
            ("kind", kind.rawValue), ("rate", "\(rate)"), ("events", "\(total)"), ("acknowledged", "\(acknowledged)"),
            ("lag_p50_ms", ms(50)), ("lag_p99_ms", ms(99)),
            ("lag_p999_ms", ms(99.9)), ("lag_max_ms", fmt(Double(histogram.max) / 1_000, 1)),
            ("not_seen", "\(max(0, acknowledged - seen))"),
            ("seen_twice", "\(repeated)"),
            ("primary_cpu_us_per_event", fmt(((cpu.primary?.seconds() ?? 0) - before.0) / events, 1)),
            ("replica_cpu_us_per_event", fmt(((cpu.replica?.seconds() ?? 0) - before.1) / events, 1)),
        ]
    }

    /// Sends `lines` at `rate` over `connections`, a tick's worth at a time
    /// (line `i` on connection `i % connections`); returns how many were acknowledged.
    private func send(_ lines: [ByteBuffer]) async throws -> Int {
        let (host, port, rate, connections) = (primary.host, primary.port, rate, connections)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            let (writers, continuation) = AsyncStream<(Int, NIOAsyncChannelOutboundWriter<ByteBuffer>)>.makeStream()
            for index in 0..<connections {
                let expected = lines.count / connections + (index < lines.count % connections ? 1 : 0)
                group.addTask {
                    try await RawConnection.run(host: host, port: port) { connection in
                        var answers = connection.inbound.makeAsyncIterator()
                        _ = try await answers.next()
                        continuation.yield((index, connection.outbound))
                        var acknowledged = 0
                        while acknowledged < expected, let line = try await answers.next() {
                            guard line.withUnsafeReadableBytes(RequestTemplate.isAcknowledgement) else {
                                throw CommandError("the primary refused a benchmark append: \(String(buffer: line))")
                            }
                            acknowledged += 1
                        }
                        return acknowledged
                    }
                }
            }
            var outbound: [Int: NIOAsyncChannelOutboundWriter<ByteBuffer>] = [:]
            for await (index, writer) in writers {
                outbound[index] = writer
                if outbound.count == connections { break }
            }
            let perTick = max(1, rate * Int(Self.tick.components.attoseconds / 1_000_000_000_000_000) / 1_000)
            let start = ContinuousClock.now
            var next = 0
            var tick = 0
            while next < lines.count {
                try await Task.sleep(until: start + Self.tick * tick, clock: .continuous)
                for line in lines[next..<min(lines.count, next + perTick)] {
                    try await outbound[next % connections]!.write(line)
                    next += 1
                }
                tick += 1
            }
            var total = 0
            for try await acknowledged in group { total += acknowledged }
            return total
        }
    }

    static let positionKey = Array(#""position":"#.utf8)
    static let recordedAtKey = Array(#""recordedAt":""#.utf8)

    /// Where the value after the last occurrence of `key` in `line` begins:
    /// the top-level member's (canonical objects put `data` first).
    static func valueStart(after key: [UInt8], in line: UnsafeRawBufferPointer) -> Int? {
        var start = line.count - key.count
        while start >= 0 {
            if line[start] == key[0], UnsafeRawBufferPointer(rebasing: line[start..<start + key.count]).elementsEqual(key) {
                return start + key.count
            }
            start -= 1
        }
        return nil
    }

    /// The event's position in a pushed line.
    static func position(in line: UnsafeRawBufferPointer) -> UInt64? {
        guard let from = valueStart(after: positionKey, in: line) else { return nil }
        var index = from
        var value: UInt64 = 0
        while index < line.count, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
            value = value * 10 + UInt64(line[index] - UInt8(ascii: "0"))
            index += 1
        }
        return index > from ? value : nil
    }

    /// The event's `recordedAt` in a pushed line.
    static func recordedAt(in line: UnsafeRawBufferPointer) -> Timestamp? {
        guard let from = valueStart(after: recordedAtKey, in: line) else { return nil }
        var end = from
        while end < line.count, line[end] != UInt8(ascii: "\"") { end += 1 }
        return Timestamp(storedRFC3339: String(decoding: UnsafeRawBufferPointer(rebasing: line[from..<end]), as: UTF8.self))
    }
}

/// Times each pushed event's arrival against its `recordedAt`, on the subscriber's event loop.
private final class ArrivalRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let arrivals: Arrivals

    init(arrivals: Arrivals) { self.arrivals = arrivals }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = Timestamp.now()
        let line = unwrapInboundIn(data)
        guard
            let (position, recordedAt) = line.withUnsafeReadableBytes({ bytes in
                ReplicaLag.position(in: bytes).flatMap { position in ReplicaLag.recordedAt(in: bytes).map { (position, $0) } }
            })
        else { return }
        arrivals.record(position, recordedAt: recordedAt, at: now)
    }
}

/// The lag of every event pushed after the subscription began, by position (a position seen twice is counted).
private final class Arrivals: Sendable {
    private let lags = Mutex<(lags: [UInt64: Int64], repeated: Int)>(([:], 0))

    func record(_ position: UInt64, recordedAt: Timestamp, at now: Timestamp) {
        lags.withLock { state in
            if state.lags.updateValue(now.microseconds - recordedAt.microseconds, forKey: position) != nil { state.repeated += 1 }
        }
    }

    var count: Int { lags.withLock { $0.lags.count } }

    func histogram() -> (Histogram<UInt64>, seen: Int, repeated: Int) {
        lags.withLock { state in
            var histogram = Histogram<UInt64>.latencies()
            for lag in state.lags.values { histogram.record(UInt64(max(0, lag))) }
            return (histogram, state.lags.count, state.repeated)
        }
    }
}
