import CommandSupport
import Histogram
import NIOCore
import NIOPosix

/// A raw TCP connection speaking a `PeerWire`: the comparison's load
/// generator, identical for every store measured.
struct PeerConnection {
    let wire: any PeerWire
    let name: String
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var buffer = ByteBuffer()

    private init(
        wire: any PeerWire, name: String, inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.wire = wire
        self.name = name
        self.iterator = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Connects, exchanges the greeting, and runs `body`.
    static func run<R: Sendable>(
        _ wire: any PeerWire, host: String, port: Int, name: String, _ body: (inout PeerConnection) async throws -> R
    ) async throws -> R {
        let channel = try await ClientBootstrap(group: RawConnection.eventLoops)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = PeerConnection(wire: wire, name: name, inbound: inbound, outbound: outbound)
            let greeting = wire.greeting(connection: name)
            if !greeting.bytes.isEmpty { try await outbound.write(ByteBuffer(bytes: greeting.bytes)) }
            for _ in 0..<greeting.replies { try await connection.nextAnswer() }
            return try await body(&connection)
        }
    }

    /// Sends `bytes` and waits for their reply.
    mutating func exchange(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
        try await nextAnswer()
    }

    /// Appends one event at a time until `deadline`, recording each latency in microseconds.
    mutating func drive(payload: [UInt8], until deadline: ContinuousClock.Instant) async throws -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>.latencies()
        var sequence = 0
        while ContinuousClock.now < deadline {
            let request = wire.append(connection: name, sequence: sequence, payload: payload)
            let sent = ContinuousClock.now
            try await exchange(request)
            _ = histogram.record(UInt64((ContinuousClock.now - sent).seconds * 1_000_000))
            sequence += 1
        }
        return histogram
    }

    private mutating func nextAnswer() async throws {
        while true {
            while let reply = try wire.takeReply(&buffer) {
                switch reply {
                case .answer: return
                case .ping(let pong): try await outbound.write(ByteBuffer(bytes: pong))
                case .ignore: continue
                }
            }
            guard var chunk = try await iterator.next() else { throw CommandError("\(name): the server closed the connection") }
            buffer.writeBuffer(&chunk)
        }
    }
}
