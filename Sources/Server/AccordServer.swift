import AccordCore
import AccordJSON
import Agreements
import CoreMetrics
import EventStore
import Foundation
import LineFraming
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Registry
import ServiceLifecycle
import Synchronization
import Transparency

/// The Accord TCP server: NDJSON requests over SwiftNIO, as a
/// swift-service-lifecycle `Service`.
///
/// Each connection is a `ConnectionHandler` on an event loop: requests are
/// framed, decoded and answered there, and appends go from there to the
/// group commit and back. Graceful shutdown (SIGTERM/SIGINT through the
/// service group): stop accepting, stop reading from connections, finish the
/// requests read (acknowledged appends are committed), end subscriptions and
/// watches with a `closed` line, close connections (those still open after
/// `shutdownGrace` outright), then close the store.
public final class AccordServer: Service, Sendable {
    let context: ServerContext
    /// The store's own check: once before listening, then in the background.
    let scrub: StoreScrub
    /// The bound address, once listening, or why binding failed.
    private let address = Eventual<SocketAddress>()

    /// The connections' event loops. One thread by default: framing is cheap,
    /// and on a small machine every extra thread is another context switch.
    let eventLoops: MultiThreadedEventLoopGroup

    /// - Parameter metrics: where metrics go (see `ServerMetrics`); the process's
    ///   `MetricsSystem` factory unless a test or embedder gives its own.
    public init(
        configuration: ServerConfiguration, store: EventStore, registry: Registry, checkpoints: any CheckpointSource,
        damage: StoreDamage = StoreDamage(), fence: Fence? = nil, metrics: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) {
        // Without a data directory's record (tests, benchmarks), a fence lives as long as the process.
        let fence = fence ?? Fence(epoch: (try? Epoch.at(size: store.head, in: store)) ?? 1)
        let operations = Operations(
            store: store, registry: registry, checkpoints: checkpoints, primary: configuration.primary, today: { CalendarDate(.now()) },
            damage: damage, fence: fence)
        context = ServerContext(
            configuration: configuration, credentials: Credentials(tokens: configuration.tokens, tls: configuration.tls),
            operations: operations, audit: ReadAudit(store: store), connections: ConnectionRegistry(),
            metrics: ServerMetrics(factory: metrics), appendGate: AppendGate(limit: configuration.maxPendingAppends),
            backgroundWork: BackgroundWork(queryThreads: configuration.queryThreads, foldThreads: configuration.foldThreads),
            auditLedger: AuditLedger(window: ConnectionHandler.amount(configuration.auditCoalesceWindow)), logger: logger)
        eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        store.setLonePoll(nanoseconds: configuration.spinNanoseconds, pressureFile: configuration.spinPressureFile)
        scrub = StoreScrub(
            store: store, registry: registry, checkpoints: checkpoints, damage: damage, settings: configuration.scrub,
            logger: logger)
    }

    /// The bound address, once listening (port 0 becomes the chosen port).
    public func listeningAddress() async throws -> SocketAddress {
        try await address.value()
    }

    /// Sets the gauges that are sampled rather than pushed; call before exporting metrics.
    public func refreshMetrics() {
        context.metrics.refresh(
            store: context.operations.store, registry: context.operations.registry, connections: context.connections.count,
            damaged: context.operations.damage.isDamaged, refusing: !context.operations.acceptsAppends)
    }

    /// Open connections now.
    public var connectionCount: Int { context.connections.count }

    /// This server's epoch, and whether a newer primary superseded it.
    public var fence: Fence { context.operations.fence }

    /// The `health` answer, for the HTTP readiness probe.
    public func health() throws -> JSONValue {
        try context.operations.health()
    }

    /// Replaces the tokens and the TLS certificates (SIGHUP): `hello` and new
    /// connections use them at once; open connections whose token no longer
    /// grants what it did are closed with a last `unauthenticated` line; the
    /// others carry on. A reload may turn authentication on but never off (an
    /// empty token file then admits no one), and never turns TLS on or off:
    /// that needs a restart.
    public func reload(tokens: TokenStore, tls: NIOSSLContext?) throws {
        let credentials = context.credentials
        let before = credentials.now
        guard (tls == nil) == (before.tls == nil) else {
            throw ServerError.reload("a reload replaces TLS certificates but never turns TLS on or off; restart to do that")
        }
        let requiresAuthentication = before.requiresAuthentication || !tokens.isEmpty
        credentials.replace(.init(tokens: tokens, tls: tls, requiresAuthentication: requiresAuthentication))
        if requiresAuthentication { context.connections.revalidate(tokens) }
        context.logger.notice(
            "reloaded tokens and TLS certificates",
            metadata: ["tokens": "\(tokens.entries.count)", "authRequired": "\(requiresAuthentication)"])
        if requiresAuthentication, tokens.isEmpty { context.logger.warning("the token file is empty: no client can authenticate") }
    }

    public func run() async throws {
        let context = context
        // Before the first client: damage found now is never served as healthy.
        if context.configuration.scrub.eventsPerSecond > 0 {
            do { try scrub.quickCheck() } catch { context.logger.error("the start check failed", metadata: ["error": "\(error)"]) }
        }
        let loops = try await sharedStatePerLoop()
        let server: any Channel
        do {
            if let listening = context.configuration.listeningSocket, let socket = listening.take() {
                server = try await bootstrap(loops).withBoundSocket(socket).get()
                listening.restoreBacklog()
            } else {
                server = try await bootstrap(loops).bind(host: context.configuration.host, port: context.configuration.port).get()
            }
        } catch {
            address.fail(error)
            try? await eventLoops.shutdownGracefully()
            throw error
        }
        let bound = server.localAddress!
        address.succeed(bound)
        context.logger.notice("listening", metadata: ["address": "\(bound)", "head": "\(context.store.head)"])
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await Self.recordRepeatedReads(context) }
            tasks.addTask { [scrub] in await scrub.run(metrics: context.metrics) }
            await withGracefulShutdownHandler {
                await withTaskCancellationHandler {
                    _ = try? await server.closeFuture.get()
                } onCancel: {
                    server.close(promise: nil)
                }
            } onGracefulShutdown: {
                context.logger.notice("shutting down: no new connections; finishing in-flight requests")
                server.close(promise: nil)
            }
            tasks.cancelAll()
        }
        await drain()
        // Queries and watch steps of connections already gone may still be reading the store.
        await context.backgroundWork.finished()
        await Self.recordRepeats(context.auditLedger.close(endedBy: nil), context)
        for loop in loops.values { try? await loop.shared.eventLoop.submit { loop.shared.value?.unbind() }.get() }
        context.store.close()
        try? await eventLoops.shutdownGracefully()
        context.logger.notice("stopped", metadata: ["head": "\(context.store.head)"])
    }

    /// Puts on the record, as their windows end, how often covered reads repeated (`AuditLedger`).
    private static func recordRepeatedReads(_ context: ServerContext) async {
        let ledger = context.auditLedger
        guard ledger.isEnabled else { return }
        let tick = Duration.nanoseconds(max(ledger.window.nanoseconds / 4, 1_000_000_000))
        while (try? await Task.sleep(for: tick)) != nil {
            await recordRepeats(ledger.close(endedBy: .now()), context)
        }
    }

    private static func recordRepeats(_ repeats: [AuditLedger.Repeats], _ context: ServerContext) async {
        guard !repeats.isEmpty else { return }
        do {
            try await context.audit.record(repeats)
        } catch {
            context.logger.error(
                "could not record repeated audited reads", metadata: ["windows": "\(repeats.count)", "error": "\(error)"])
        }
    }

    /// Asks every connection to drain, and closes those still open after the grace period.
    private func drain() async {
        let context = context
        context.connections.shutDown()
        await withTaskGroup(of: Bool.self) { race in
            race.addTask {
                await context.connections.waitUntilEmpty()
                return true
            }
            race.addTask {
                (try? await Task.sleep(for: context.configuration.shutdownGrace)) == nil
            }
            let drained = await race.next() ?? true
            race.cancelAll()
            if !drained {
                context.logger.warning("closing connections that did not finish within the shutdown grace period")
                context.connections.closeAll()
                await context.connections.waitUntilEmpty()
            }
        }
    }

    /// One `LoopShared` per event loop, created and bound on its loop.
    private func sharedStatePerLoop() async throws -> [ObjectIdentifier: LoopExecutor] {
        var loops: [ObjectIdentifier: LoopExecutor] = [:]
        for loop in eventLoops.makeIterator() {
            let (store, chunk, watch) = (context.store, context.configuration.subscriptionChunk, context.configuration.spinNanoseconds)
            loops[ObjectIdentifier(loop)] = try await loop.submit {
                let shared = LoopShared(eventLoop: loop, store: store, liveEvents: chunk, watchNanoseconds: watch)
                shared.bind()
                return shared.executor
            }.get()
        }
        return loops
    }

    private func bootstrap(_ loops: [ObjectIdentifier: LoopExecutor]) -> ServerBootstrap {
        let context = context
        let configuration = context.configuration
        return ServerBootstrap(group: eventLoops)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A client may close its sending side after its last request (as `nc -N` does)
            // and still read every response.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let shared = loops[ObjectIdentifier(channel.eventLoop)]?.shared.value else {
                        throw ChannelError.ioOnClosedChannel  // the server has stopped
                    }
                    if let tls = context.credentials.tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    // Before `hello` (tokens configured) a line is short; the handler raises the limit after it.
                    let authenticated = !context.credentials.requiresAuthentication
                    let lineLimit = LineSplitter.Limit(
                        authenticated ? configuration.maxLineBytes : min(configuration.maxLineBytes, configuration.maxLineBytesBeforeHello))
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(server: context, loop: shared, lineLimit: lineLimit))
                }
            }
    }
}
