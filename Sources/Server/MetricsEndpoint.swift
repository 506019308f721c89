import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A tiny HTTP/1.1 server for monitors: `GET /metrics` answers `render()` in
/// the Prometheus text exposition format; `GET /healthz` is 200 while the
/// process serves (liveness); `GET /readyz` is 200 when `ready()` says the
/// server takes appends, else 503 with the reasons (readiness, for load
/// balancers and orchestrators); anything else is 404. Meant for a loopback
/// port beside the NDJSON one; it reads no bodies.
public struct MetricsEndpoint: Service {
    /// Whether the server is ready, and a line or two saying why (not).
    public typealias Readiness = @Sendable () -> (ready: Bool, detail: String)

    let host: String
    let port: Int
    let render: @Sendable () -> [UInt8]
    let ready: Readiness
    let logger: Logger
    let socket: ListeningSocket?
    private let bound = AsyncStream<SocketAddress>.makeStream()

    public init(
        host: String, port: Int, socket: ListeningSocket? = nil, logger: Logger, ready: @escaping Readiness = { (true, "ready\n") },
        render: @escaping @Sendable () -> [UInt8]
    ) {
        self.socket = socket
        self.host = host
        self.port = port
        self.logger = logger
        self.ready = ready
        self.render = render
    }

    /// The bound address, once listening.
    public func listeningAddress() async -> SocketAddress? {
        var iterator = bound.stream.makeAsyncIterator()
        return await iterator.next()
    }

    public func run() async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>> = {
            channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
            }
        }
        // A socket bound before the data directory was touched, when given (`accord serve`).
        let server =
            if let descriptor = socket?.take() {
                try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
            } else {
                try await bootstrap.bind(host: host, port: port, childChannelInitializer: initializer)
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
                let (status, contentType, body) = answer(request)
                var head = HTTPResponseHead(version: request.version, status: status)
                head.headers.add(name: "Content-Type", value: contentType)
                head.headers.add(name: "Content-Length", value: "\(body.count)")
                try await outbound.write(.head(head))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                try await outbound.write(.end(nil))
                if !request.isKeepAlive { return }
            }
        }
    }

    private func answer(_ request: HTTPRequestHead) -> (HTTPResponseStatus, String, [UInt8]) {
        guard request.method == .GET else {
            return (.methodNotAllowed, "text/plain", Array("only GET\n".utf8))
        }
        switch request.uri.split(separator: "?").first {
        case "/metrics": return (.ok, "text/plain; version=0.0.4; charset=utf-8", render())
        case "/healthz": return (.ok, "text/plain", Array("ok\n".utf8))
        case "/readyz":
            let (isReady, detail) = ready()
            return (isReady ? .ok : .serviceUnavailable, "text/plain", Array(detail.utf8))
        default: return (.notFound, "text/plain", Array("not found; try GET /metrics, /healthz or /readyz\n".utf8))
        }
    }
}
