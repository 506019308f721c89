import AccordCore
import Agreements
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import LMDB
import Logging
import Metrics
import Prometheus
import Registry
import Server
import ServiceLifecycle
import Transparency

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Accord server.")

    @Option(help: "A JSON config file with any of these settings (flags win over it).") var config: String?
    @Option(help: "The data directory (default ./accord-data).") var data: String?
    @Option(help: "HOST:PORT to listen on, port 0 for a free port (default 127.0.0.1:7411).") var listen: String?
    @Option(help: "The longest request line, in bytes (default 1048576).") var maxLineBytes: Int?
    @Option(help: "Open connections at most; more are told overloaded and closed (default 4096).") var maxConnections: Int?
    @Option(help: "Appends waiting for their commit, server-wide; more are told overloaded (default 16384).") var maxPendingAppends: Int?
    @Option(help: "Subscriptions and watches per connection; more are told overloaded (default 64).") var maxSubscriptionsPerConnection:
        Int?
    @Option(help: "Close connections idle this many seconds (no line, no subscription); 0 never (default 600).") var idleTimeout: Int?
    @Option(help: "Seconds a connection may stay unauthenticated when tokens are configured (default 10).") var authTimeout: Int?
    @Option(help: "Event-loop threads serving connections (default 1).") var eventLoopThreads: Int?
    @Option(help: "Ignored: every commit runs on the writer thread. Accepted so that existing configurations start.")
    var inlineCommitUpTo: Int?
    // Named explicitly: ArgumentParser would spell these `--map-size-mi-b` and `--max-map-size-gi-b`.
    @Option(name: .customLong("map-size-mib"), help: "The initial LMDB map size in MiB; it grows on demand (default 1024).")
    var mapSizeMiB: Int?
    @Option(name: .customLong("max-map-size-gib"), help: "The largest the map may grow, in GiB (default 1024).") var maxMapSizeGiB: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).") var logLevel: String?
    @Option(help: "text, or json for one JSON object a line on standard error (default text).") var logFormat: String?
    @Flag(help: "Keep checkpoint, the proofs and gateways behind authentication (default: anyone may ask, before hello).")
    var privateTransparency = false
    @Option(help: "The log's name in signed checkpoints, fixed when the signing key is created (default HOSTNAME/accord).")
    var origin: String?
    @Option(help: "The checkpoint-signing key file (default DATA/checkpoint.key, created mode 0600 on first start).")
    var checkpointKey: String?
    @Option(help: "The token file (default DATA/tokens.json); with tokens, clients must authenticate.") var tokens: String?
    @Option(help: "A legal gateway catalogue (JSON, as protocol/gateways.json) to validate reviews against (default: the shipped one).")
    var gateways: String?
    @Option(help: "Seconds between stored signed checkpoints while the log grows (default 5).") var checkpointInterval: Int?
    @Option(help: "TLS: the server's certificate chain, PEM (with --tls-key; default: plain TCP).") var tlsCertificate: String?
    @Option(help: "TLS: the server's private key, PEM.") var tlsKey: String?
    @Option(help: "TLS: require client certificates signed by this CA, PEM.") var tlsClientCa: String?
    @Option(help: "Serve GET /metrics, /healthz and /readyz over HTTP on this loopback HOST:PORT; default: off.")
    var metricsListen: String?
    @Flag(help: "Check the configuration (file, flags, data directory, signing key, tokens), print it, and exit.")
    var checkConfig = false
    @Option(help: "Once listening, write HOST:PORT to this file (for scripts that start the server on port 0).")
    var readyFile: String?
    @OptionGroup(title: "Per connection") var connectionLimits: ConnectionLimitOptions
    @OptionGroup(title: "Checking the store") var scrub: ScrubOptions
    @Option(
        help:
            "Another server of this deployment (HOST:PORT; repeat): a peer at a newer epoch (a promotion) fences this one, which then takes no writes."
    )
    var peer: [String] = []
    @OptionGroup(title: "Replica") var replica: FollowOptions
    /// Only for `accord bench server --tree-cost`: an empty data directory
    /// opened this way is marked and never gets a tree, checkpoints or proofs.
    @Flag(help: .hidden) var withoutMerkleTree = false

    func run() async throws {
        let file = try ServeConfiguration.load(config)
        let names = SettingNames(path: config)
        let data = data ?? file.data ?? "./accord-data"
        let listen = listen ?? file.listen ?? "127.0.0.1:7411"
        let defaults = ServerConfiguration()
        let maxLineBytes = maxLineBytes ?? file.maxLineBytes ?? defaults.maxLineBytes
        let maxConnections = maxConnections ?? file.maxConnections ?? defaults.maxConnections
        let maxPendingAppends = maxPendingAppends ?? file.maxPendingAppends ?? defaults.maxPendingAppends
        let maxSubscriptions = maxSubscriptionsPerConnection ?? file.maxSubscriptionsPerConnection ?? defaults.maxPushersPerConnection
        let idleTimeout = idleTimeout ?? file.idleTimeout ?? 600
        let authTimeout = authTimeout ?? file.authTimeout ?? 10
        let eventLoopThreads = eventLoopThreads ?? file.eventLoopThreads ?? defaults.eventLoopThreads
        let inlineCommitUpTo = inlineCommitUpTo ?? file.inlineCommitUpTo ?? 0
        let mapSizeMiB = mapSizeMiB ?? file.mapSizeMiB ?? 1_024
        let maxMapSizeGiB = maxMapSizeGiB ?? file.maxMapSizeGiB ?? 1_024
        let logLevel = logLevel ?? file.logLevel ?? "info"
        let checkpointInterval = checkpointInterval ?? file.checkpointInterval ?? 5
        guard checkpointInterval > 0 else {
            throw ValidationError(
                "\(names.name("checkpointInterval", flagGiven: self.checkpointInterval != nil)) must be at least 1 second")
        }
        // A value out of range would pass here and fail every connection later: refuse it by name now.
        for (key, flag, value, least) in [
            ("maxLineBytes", self.maxLineBytes, maxLineBytes, 64), ("maxConnections", self.maxConnections, maxConnections, 1),
            ("mapSizeMiB", self.mapSizeMiB, mapSizeMiB, 1), ("maxMapSizeGiB", self.maxMapSizeGiB, maxMapSizeGiB, 1),
            ("maxPendingAppends", self.maxPendingAppends, maxPendingAppends, 1),
            ("maxSubscriptionsPerConnection", self.maxSubscriptionsPerConnection, maxSubscriptions, 1),
            ("idleTimeout", self.idleTimeout, idleTimeout, 0), ("authTimeout", self.authTimeout, authTimeout, 1),
            ("eventLoopThreads", self.eventLoopThreads, eventLoopThreads, 1),
            ("inlineCommitUpTo", self.inlineCommitUpTo, inlineCommitUpTo, 0),
        ] where value < least {
            throw ValidationError("\(names.name(key, flagGiven: flag != nil)) must be at least \(least); got \(value)")
        }
        let level = try Self.logLevel(logLevel)
        let logFormat = logFormat ?? file.logFormat ?? "text"
        let jsonLogs = try Self.isJSONLogFormat(logFormat)
        let privateTransparency = privateTransparency || file.privateTransparency == true
        let (host, port) = try Endpoint.parse(listen, option: "--listen")
        let tokenPath = tokens ?? file.tokens ?? URL(fileURLWithPath: data).appendingPathComponent("tokens.json").path
        let tokenStore = try TokenStore.load(tokenPath)
        guard !tokenStore.isEmpty || Self.isLoopback(host) else {
            throw CommandError(
                """
                refusing to listen on \(host) without authentication: create a token (accord token create NAME --role writer) \
                or listen on 127.0.0.1
                """)
        }
        let metricsAddress = try (metricsListen ?? file.metricsListen).map { text in
            let (metricsHost, metricsPort) = try Endpoint.parse(text, option: "--metrics-listen")
            guard Self.isLoopback(metricsHost) else {
                throw CommandError("the metrics endpoint has no authentication: --metrics-listen must be a loopback address")
            }
            return (metricsHost, metricsPort)
        }
        let tlsFiles = (tlsCertificate ?? file.tlsCertificate, tlsKey ?? file.tlsKey, tlsClientCa ?? file.tlsClientCA)
        guard (tlsFiles.0 == nil) == (tlsFiles.1 == nil), tlsFiles.2 == nil || tlsFiles.0 != nil else {
            throw ValidationError("TLS needs both --tls-certificate and --tls-key (and --tls-client-ca only with them)")
        }
        let tls = try tlsFiles.0.map { certificate in
            try ServerTLS.context(certificate: certificate, key: tlsFiles.1!, clientCA: tlsFiles.2)
        }
        var configuration = ServerConfiguration()
        let limitSettings = try connectionLimits.apply(file: file, names: names, to: &configuration)
            .merging(try scrub.apply(file: file, names: names, to: &configuration)) { $1 }
        let keyPath = SigningKeyLocation.path(data: data, configured: checkpointKey ?? file.checkpointKey)
        let gatewaysPath = gateways ?? file.gateways
        let catalogue = try gatewaysPath.map(Self.loadGateways) ?? .standard
        if checkConfig {
            return try Self.check(
                data: data, keyPath: keyPath, origin: origin ?? file.origin, follow: replica.follow ?? file.follow,
                followKey: replica.followKey ?? file.followKey, tokens: tokenStore,
                settings: [
                    "data": .string(data), "listen": .string(listen), "maxLineBytes": .integer(Int64(maxLineBytes)),
                    "maxConnections": .integer(Int64(maxConnections)), "mapSizeMiB": .integer(Int64(mapSizeMiB)),
                    "maxMapSizeGiB": .integer(Int64(maxMapSizeGiB)), "logLevel": .string(logLevel), "logFormat": .string(logFormat),
                    "privateTransparency": .bool(privateTransparency), "checkpointKey": .string(keyPath),
                    "checkpointInterval": .integer(Int64(checkpointInterval)), "tokens": .string(tokenPath),
                    "tls": .bool(tls != nil), "tlsClientCertificates": .bool(tlsFiles.2 != nil),
                    "metricsListen": metricsAddress.map { .string("\($0.0):\($0.1)") } ?? .null,
                    "maxPendingAppends": .integer(Int64(maxPendingAppends)),
                    "maxSubscriptionsPerConnection": .integer(Int64(maxSubscriptions)), "idleTimeout": .integer(Int64(idleTimeout)),
                    "authTimeout": .integer(Int64(authTimeout)), "eventLoopThreads": .integer(Int64(eventLoopThreads)),
                    "gateways": gatewaysPath.map { .string($0) } ?? .null,
                    "follow": (replica.follow ?? file.follow).map { .string($0) } ?? .null,
                    "maxLagSeconds": .integer(Int64(replica.maxLag ?? file.maxLagSeconds ?? 10)),
                    "gatewayCatalogue": .string(
                        "version \(catalogue.version), reviewed \(catalogue.reviewed), \(catalogue.gateways.count) gateways"),
                ].merging(limitSettings) { $1 })
        }
        Self.bootstrapLogging(level: level, json: jsonLogs)
        let logger = Logger(label: "accord")
        // The port first: one in use stops the start before anything exists on disk.
        let socket = try ListeningSocket(host: host, port: port)
        let metricsSocket = try metricsAddress.map { try ListeningSocket(host: $0.0, port: $0.1, backlog: 64, option: "--metrics-listen") }
        let lock = try DataDirectoryLock(directory: data, create: true)
        var options = Environment.Options()
        options.mapSize = mapSizeMiB << 20
        options.maxMapSize = maxMapSizeGiB << 30
        let registryOfMetrics = PrometheusCollectorRegistry()
        if metricsAddress != nil { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registryOfMetrics)) }
        // Before LMDB reads the file: after a power loss it may need its last sync point back.
        try EventStore.recoverAfterRestart(directory: data, logger: logger)
        let env = try Environment(path: data, options: options)
        let registry = try Registry(environment: env, rules: AgreementRules(gateways: catalogue), logger: logger)
        let store = try EventStore(environment: env, hook: registry.hook, logger: logger, merkleTree: !withoutMerkleTree)
        let follower = try replica.follower(data: data, file: file, store: store, registry: registry, logger: logger)
        // A replica signs nothing: it serves the checkpoints it verified from its primary.
        let key =
            try follower == nil
            ? SigningKeyLocation.loadForServing(at: keyPath, origin: origin ?? file.origin, store: store, data: data) : nil
        try registry.attach(store) { done, total in
            logger.notice("rebuilding projections", metadata: ["done": "\(done)", "total": "\(total)"])
        }
        configuration.host = host
        configuration.port = port
        configuration.listeningSocket = socket
        configuration.maxLineBytes = maxLineBytes
        configuration.maxConnections = maxConnections
        configuration.tokens = tokenStore
        configuration.tls = tls
        configuration.privateTransparency = privateTransparency
        configuration.maxPendingAppends = maxPendingAppends
        configuration.maxPushersPerConnection = maxSubscriptions
        configuration.idleTimeout = idleTimeout > 0 ? .seconds(idleTimeout) : nil
        configuration.authTimeout = .seconds(authTimeout)
        configuration.eventLoopThreads = eventLoopThreads
        configuration.version = AccordVersion.current
        configuration.primary = follower

        let checkpointer = try key.map { try Checkpointer(store: store, key: $0) }
        let source: any CheckpointSource = checkpointer ?? follower!.checkpoints
        let fence = try Fence(directory: data, epoch: try Epoch.at(size: store.head, in: store))
        if let fenced = fence.current {
            logger.critical(
                "this server was superseded by a newer primary and takes no writes (ops/replication.md)",
                metadata: ["epoch": "\(fence.epoch)", "newerEpoch": "\(fenced.epoch)", "primary": "\(fenced.primary ?? "?")"])
        }
        let peers = peer + (file.peers ?? [])
        let peerWatch = key.map { key in
            PeerWatch(peers: peers, fence: fence, verifier: key.verifier, origin: key.name, interval: .seconds(5), logger: logger)
        }
        if let peerWatch, !peers.isEmpty { await peerWatch.checkOnce() }
        let server = AccordServer(
            configuration: configuration, store: store, registry: registry, checkpoints: source, fence: fence, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let checkpointer, !withoutMerkleTree {
            services.append(
                .init(service: CheckpointService(checkpointer: checkpointer, interval: .seconds(checkpointInterval), logger: logger)))
        }
        // The follower stops after the server (reverse order), so reads in flight can still be audited.
        if let follower { services.append(.init(service: follower)) }
        services.append(.init(service: server))
        if let peerWatch, !peers.isEmpty { services.append(.init(service: peerWatch)) }
        let certificateExpiry = Gauge(label: "accord_tls_certificate_expiry_timestamp_seconds")
        if let certificate = tlsFiles.0, let expiry = ServerTLS.expiry(ofCertificate: certificate) { certificateExpiry.record(expiry) }
        let reload = ReloadService(logger: logger) {
            try server.reload(
                tokens: try TokenStore.load(tokenPath),
                tls: try tlsFiles.0.map { try ServerTLS.context(certificate: $0, key: tlsFiles.1!, clientCA: tlsFiles.2) })
            if let certificate = tlsFiles.0, let expiry = ServerTLS.expiry(ofCertificate: certificate) { certificateExpiry.record(expiry) }
        }
        services.append(.init(service: reload))
        if let (metricsHost, metricsPort) = metricsAddress {
            services.append(
                .init(
                    service: MetricsEndpoint(
                        host: metricsHost, port: metricsPort, socket: metricsSocket, logger: logger, ready: { Self.readiness(server) },
                        render: {
                            server.refreshMetrics()
                            follower?.refreshMetrics()
                            return PrometheusText.render(
                                registryOfMetrics.emitToBuffer(), version: AccordVersion.current, dataDirectory: data)
                        })))
        }
        // Services stop in reverse order: the server drains first, then the last checkpoint is stored.
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let address = try await server.listeningAddress()
                let endpoint = "\(address.ipAddress ?? host):\(address.port ?? port)"
                let role = follower.map { ", a read-only replica of \($0.primary)" } ?? ""
                print("accord \(AccordVersion.current) listening on \(endpoint), data in \(data)\(role)")
                fflush(nil)
                if let readyFile { try PrivateFile.write(Array((endpoint + "\n").utf8), to: readyFile, mode: 0o640) }
                SystemdNotify.send("READY=1\nSTATUS=listening on \(endpoint)\nMAINPID=\(getpid())")
            }
            try await tasks.waitForAll()
        }
        withExtendedLifetime(lock) {}
    }
}
