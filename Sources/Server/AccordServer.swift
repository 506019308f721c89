import AccordCore
import Agreements
import CoreMetrics
import EventStore
import Foundation
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL
import Registry
import ServiceLifecycle
import Synchronization
import Transparency

/// The Accord TCP server: NDJSON requests over SwiftNIO, as a
/// swift-service-lifecycle `Service`.
///
/// Graceful shutdown (SIGTERM/SIGINT through the service group): stop
/// accepting, stop reading from connections, finish in-flight requests
/// (acknowledged appends are committed), end subscriptions with a `closed`
/// line, close connections, then return.
public final class AccordServer: Service, Sendable {
    let context: ServerContext
    /// The bound address, once listening, or why binding failed.
    private let address = Eventual<SocketAddress>()

    /// One event-loop thread: framing is cheap, and on a small machine every
    /// extra thread is another context switch per request.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// - Parameter metrics: where metrics go (see `ServerMetrics`); the process's
    ///   `MetricsSystem` factory unless a test or embedder gives its own.
    public init(
        configuration: ServerConfiguration, store: EventStore, registry: Registry, checkpointer: Checkpointer,
        metrics: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) {
        let operations = Operations(store: store, registry: registry, checkpointer: checkpointer, today: { CalendarDate(.now()) })
        context = ServerContext(
            configuration: configuration, operations: operations, audit: ReadAudit(store: store),
            wakeups: WakeupHub(), connections: ConnectionRegistry(),
            metrics: ServerMetrics(factory: metrics), appendGate: AppendGate(limit: configuration.maxPendingAppends),
            logger: logger)
    }

    /// The bound address, once listening (port 0 becomes the chosen port).
    public func listeningAddress() async throws -> SocketAddress {
        try await address.value()
    }

    /// Sets the gauges that are sampled rather than pushed; call before exporting metrics.
    public func refreshMetrics() {
        context.metrics.refresh(
            store: context.operations.store, registry: context.operations.registry, connections: context.connections.count)
    }

    /// Open connections now.
    public var connectionCount: Int { context.connections.count }

    public func run() async throws {
        let configuration = context.configuration
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            server = try await ServerBootstrap(group: Self.eventLoops)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 4096)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                // A client may close its sending side after its last request (as `nc -N` does)
                // and still read every response.
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls = configuration.tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: configuration.maxLineBytes))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            address.fail(error)
            throw error
        }
        let bound = server.channel.localAddress!
        address.succeed(bound)
        context.logger.notice("listening", metadata: ["address": "\(bound)", "head": "\(context.operations.store.head)"])
        let context = context
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    // One task turns commits into wake-ups for every subscription and watch.
                    for await _ in context.operations.store.headUpdates() { context.wakeups.wakeAll() }
                }
                try await server.executeThenClose { inbound in
                    for try await channel in inbound {
                        group.addTask { await Connection(channel: channel, context: context).run() }
                    }
                }
                // Accepting has stopped. Once every connection has finished its
                // in-flight requests, close the store (which also ends the head task).
                context.connections.shutDown()
                group.addTask {
                    await withTaskGroup(of: Bool.self) { race in
                        race.addTask {
                            await context.connections.waitUntilEmpty()
                            return true
                        }
                        race.addTask {
                            do {
                                try await Task.sleep(for: context.configuration.shutdownGrace)
                                return false
                            } catch {
                                return true
                            }
                        }
                        let drained = await race.next() ?? true
                        race.cancelAll()
                        if !drained {
                            context.logger.warning("closing connections that did not finish within the shutdown grace period")
                            context.connections.closeAll()
                        }
                    }
                    context.operations.store.close()
                }
            }
        } onGracefulShutdown: {
            context.logger.notice("shutting down: no new connections; finishing in-flight requests")
            server.channel.close(promise: nil)
            context.connections.shutDown()
        }
        context.logger.notice("stopped", metadata: ["head": "\(context.operations.store.head)"])
    }
}
