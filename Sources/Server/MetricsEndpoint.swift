import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A tiny HTTP/1.1 server for Prometheus: `GET /metrics` answers `render()`
/// in the text exposition format; anything else is 404. Meant for a loopback
/// port beside the NDJSON one; it serves nothing else and reads no bodies.
public struct MetricsEndpoint: Service {
    let host: String
    let port: Int
    let render: @Sendable () -> [UInt8]
    let logger: Logger
    private let bound = AsyncStream<SocketAddress>.makeStream()

    public init(host: String, port: Int, logger: Logger, render: @escaping @Sendable () -> [UInt8]) {
        self.host = host
        self.port = port
        self.logger = logger
        self.render = render
    }

    /// The bound address, once listening.
    public func listeningAddress() async -> SocketAddress? {
        var iterator = bound.stream.makeAsyncIterator()
        return await iterator.next()
    }

    public func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        if let address = server.channel.localAddress { bound.continuation.yield(address) }
        logger.notice("metrics endpoint listening", metadata: ["address": "\(server.channel.localAddress.map { "\($0)" } ?? "?")"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            for try await part in inbound {
                guard case .head(let request) = part else { continue }
                let found = request.method == .GET && request.uri.split(separator: "?").first == "/metrics"
                let body = found ? render() : Array("not found; try GET /metrics\n".utf8)
                var head = HTTPResponseHead(version: request.version, status: found ? .ok : .notFound)
                head.headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain")
                head.headers.add(name: "Content-Length", value: "\(body.count)")
                try await outbound.write(.head(head))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                try await outbound.write(.end(nil))
                if !request.isKeepAlive { return }
            }
        }
    }
}
