import AccordClient
import ArgumentParser
import CommandSupport
import Foundation
import Logging
import Metrics
import Prometheus
import ReportingSink
import Server
import ServiceLifecycle

/// `accord sink postgres`: a long-running copy of the projections in PostgreSQL.
struct SinkPostgres: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres", abstract: "Follow the server and keep its projections in PostgreSQL (runs until stopped).",
        discussion: """
            Keeps schema accord (--schema) in the PostgreSQL of --postgres: register, recipients, \
            law_enforcement_statistics, sink_state, the view register_on_today and the function register_on(date); with \
            --include-law-enforcement-requests (an auditor token) also law_enforcement_requests. Creates and migrates the \
            schema. Resumes exactly where it stopped after a crash or restart of either side; stops (exit 1) when the \
            server's log is not the one the tables were copied from. The token comes from --token or $ACCORD_TOKEN, the \
            PostgreSQL password from the URL or $PGPASSWORD. Columns and example queries: ops/reporting.md.
            """)

    @Option(help: "The server, HOST:PORT (default: $ACCORD_SERVER, else 127.0.0.1:7411).") var server: String?
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require].") var postgres: String?
    @Option(help: "The PostgreSQL schema to keep (default accord).") var schema: String?
    @Flag(help: "Also copy every law-enforcement request (needs an auditor token; each read is audited).")
    var includeLawEnforcementRequests = false
    @Option(help: "The most rows one transaction takes while catching up (default 20000).") var maxBatch: Int?
    @Option(help: "Serve Prometheus metrics and /healthz on HOST:PORT.") var metricsListen: String?
    @Option(help: "Settings as one JSON object (ops/reporting.md); flags win.") var config: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).") var logLevel: String?
    @Option(help: "text, or json for one JSON object a line on standard error (default text).") var logFormat: String?

    func run() async throws {
        let file = try SinkFile.load(config, keys: SinkFile.keys, empty: SinkFile())
        guard let postgresText = postgres ?? file.postgres else {
            throw ValidationError("--postgres URL is required (or \"postgres\" in --config)")
        }
        let level = try Serve.logLevel(logLevel ?? file.logLevel ?? "info")
        let json = try Serve.isJSONLogFormat(logFormat ?? file.logFormat ?? "text")
        let metricsAddress = try (metricsListen ?? file.metricsListen).map { try Endpoint.parse($0, option: "--metrics-listen") }
        var client = try connection.configuration(
            endpoint: ConnectionOptions.endpoint(server ?? file.server), clientName: "accord-sink-postgres")
        client.pushBufferLines = 16_384
        let configuration = try SinkConfiguration(
            server: client, postgres: try PostgresURL(postgresText), schema: schema ?? file.schema ?? "accord",
            includeRequests: includeLawEnforcementRequests || file.includeLawEnforcementRequests == true,
            maxBatch: maxBatch ?? file.maxBatch ?? 20_000)

        Serve.bootstrapLogging(level: level, json: json)
        let logger = Logger(label: "accord.sink")
        let registry = PrometheusCollectorRegistry()
        if metricsAddress != nil { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(
                service: PostgresSink(configuration: configuration, logger: logger), successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup)
        ]
        if let (host, port) = metricsAddress {
            services.append(
                .init(
                    service: MetricsEndpoint(host: host, port: port, logger: logger) {
                        PrometheusText.render(registry.emitToBuffer(), version: AccordVersion.current, dataDirectory: nil)
                    }))
        }
        logger.notice(
            "accord sink postgres starting",
            metadata: [
                "server": "\(client.host):\(client.port)", "postgres": "\(configuration.postgres)", "schema": "\(configuration.schema)",
            ])
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // Its settings are checked; from here it follows, retrying while a side is away (systemd Type=notify).
        SystemdNotify.send("READY=1\nSTATUS=following \(client.host):\(client.port)")
        try await group.run()
    }
}
