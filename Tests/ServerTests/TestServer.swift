import AccordTesting
import Checkpoints
import CoreMetrics
import EventStore
import LMDB
import Logging
import Registry
import Server
import ServiceLifecycle
import Transparency

/// A real server on 127.0.0.1 with port 0, over a real LMDB environment in a temp folder.
struct TestServer: Sendable {
    let port: Int
    /// The metrics endpoint's port, when the test asked for one.
    let metricsPort: Int?
    let store: EventStore
    let registry: Registry
    let server: AccordServer
    let checkpointer: Checkpointer
    /// Starts a graceful shutdown, as SIGTERM would.
    let shutdown: @Sendable () async -> Void

    /// The store once its reads see every append acknowledged so far: an
    /// acknowledgement comes before LMDB applies the append, so a test that
    /// reads the store itself after appending over the wire (where a read
    /// waits for this) waits here.
    func readable() async throws -> EventStore {
        try await store.waitUntilReadable()
        return store
    }

    static func with<R: Sendable>(
        _ dir: TemporaryDirectory, mapSize: Int = 64 << 20, maxMapSize: Int = 1 << 30,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        metrics: (factory: any MetricsFactory, render: @Sendable () -> [UInt8])? = nil,
        _ body: @Sendable (TestServer) async throws -> R
    ) async throws -> R {
        var options = Environment.Options()
        options.mapSize = mapSize
        options.maxMapSize = maxMapSize
        let env = try Environment(path: dir.path, options: options)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let registry = try Registry(environment: env, logger: logger)
        let store = try EventStore(
            environment: env, hook: registry.hook, logger: logger, metrics: metrics?.factory ?? NOOPMetricsHandler.instance)
        try registry.attach(store)
        var configuration = ServerConfiguration()
        configuration.port = 0
        // A liveness bound on a loaded two-core machine, where a test's client may wait seconds
        // for a pool thread before it sends `hello`; tests of the timeout set their own.
        configuration.authTimeout = .seconds(120)
        configure(&configuration)
        let checkpointer = try Checkpointer(store: store, key: NoteSignerKey(name: "test.example/accord"))
        let server = AccordServer(
            configuration: configuration, store: store, registry: registry, checkpoints: checkpointer,
            metrics: metrics?.factory ?? NOOPMetricsHandler.instance, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: CheckpointService(checkpointer: checkpointer, logger: logger)), .init(service: server),
        ]
        let endpoint = metrics.map { metrics in
            MetricsEndpoint(host: "127.0.0.1", port: 0, logger: logger) {
                server.refreshMetrics()
                return metrics.render()
            }
        }
        if let endpoint { services.append(.init(service: endpoint)) }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let address = try await server.listeningAddress()
            let metricsPort = await endpoint?.listeningAddress()?.port
            let result: R
            do {
                result = try await body(
                    TestServer(
                        port: address.port!, metricsPort: metricsPort, store: store, registry: registry, server: server,
                        checkpointer: checkpointer,
                        shutdown: { await group.triggerGracefulShutdown() }))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}
