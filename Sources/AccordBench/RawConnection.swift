import AccordCore
import AccordJSON
import CommandSupport
import EventStore
import Foundation
import Histogram
import NIOCore
import NIOExtras
import NIOPosix

/// A bare protocol connection for the load generator.
struct RawConnection {
    let inbound: NIOAsyncChannelInboundStream<ByteBuffer>
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// One event-loop thread for the whole load generator, which shares the machine with the server.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// The subscriber that times arrivals gets a thread of its own, so that the appenders' replies never delay it.
    static let timingLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func run<R: Sendable>(
        host: String, port: Int, on group: MultiThreadedEventLoopGroup = eventLoops, _ body: (RawConnection) async throws -> R
    ) async throws -> R {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: 64 << 20))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawConnection(inbound: inbound, outbound: outbound))
        }
    }

    /// Keeps `inflight` appends outstanding until `deadline`, recording each latency.
    func drive(template: RequestTemplate, inflight: Int, until deadline: ContinuousClock.Instant) async throws -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>.latencies()
        var sent: [ContinuousClock.Instant] = []
        var next = 0
        var lines = inbound.makeAsyncIterator()
        _ = try await lines.next()  // the info line
        for _ in 0..<inflight {
            sent.append(.now)
            try await outbound.write(ByteBuffer(bytes: template.line(id: next)))
            next += 1
        }
        var answered = 0
        while answered < sent.count, let line = try await lines.next() {
            guard line.withUnsafeReadableBytes(RequestTemplate.isAcknowledgement) else {
                throw CommandError("the server refused a benchmark append: \(String(buffer: line))")
            }
            _ = histogram.record(UInt64((ContinuousClock.now - sent[answered]).seconds * 1_000_000))
            answered += 1
            if ContinuousClock.now < deadline {
                sent.append(.now)
                try await outbound.write(ByteBuffer(bytes: template.line(id: next)))
                next += 1
            }
        }
        return histogram
    }

    /// Subscribes from the start and counts event lines until `caught_up`.
    ///
    /// Pushed lines begin `{"sub":"NAME",` and then their kind (protocol/README.md), so
    /// the kind is read from the bytes after the name without parsing the line.
    func catchUp() async throws -> (events: Int, eventsPerSecond: Double) {
        var lines = inbound.makeAsyncIterator()
        _ = try await lines.next()
        let start = ContinuousClock.now
        try await outbound.write(ByteBuffer(string: #"{"id":1,"op":"subscribe","from":"start"}"# + "\n"))
        var received = 0
        let subscription = Array(#"{"sub":""#.utf8)
        let event = Array(#","event":"#.utf8)
        let caughtUp = Array(#","caught_up":"#.utf8)
        while let line = try await lines.next() {
            let bytes = line.readableBytesView
            guard bytes.starts(with: subscription),
                let nameEnd = bytes.dropFirst(subscription.count).firstIndex(of: UInt8(ascii: "\""))
            else { continue }
            let kind = bytes[(nameEnd + 1)...]
            if kind.starts(with: event) {
                received += 1
            } else if kind.starts(with: caughtUp) {
                break
            }
        }
        return (received, Double(received) / (ContinuousClock.now - start).seconds)
    }
}
