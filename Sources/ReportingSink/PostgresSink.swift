import AccordClient
import AccordCore
import AccordJSON
import Logging
import ServiceLifecycle

/// Keeps a PostgreSQL copy of the server's projections: the register, the
/// recipients (a view of it), the law-enforcement statistics and, with
/// `includeRequests`, every law-enforcement request.
///
/// Exactly once by construction: the projection rows come from one `watch`
/// (register and statistics under one position) and are written with the
/// position they reflect, its Merkle root and the log's origin in
/// `sink_state`, in the same transaction; a restart resumes the watch
/// `since` that position. Rows are states, not increments, so a row written
/// again is the same row. Requests are keyed by their log position.
/// Failures on either side are retried with backoff from what PostgreSQL
/// holds; a log that is not the one copied (`SinkError.mismatchedLog`) stops
/// the sink instead. One sink per schema (an advisory lock).
public struct PostgresSink: Service {
    let configuration: SinkConfiguration
    let logger: Logger
    let metrics = SinkMetrics()

    public init(configuration: SinkConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        var wait = configuration.retryMin
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let started = ContinuousClock.now
            do {
                try await cancelWhenGracefulShutdown { try await follow() }
            } catch let error as SinkError where error.isFatal {
                metrics.error(error.code)
                logger.critical("the sink stopped", metadata: ["error": "\(error)"])
                throw error
            } catch let error as ClientError where error.isPermanent {
                // A revoked token or an untrusted certificate: retrying cannot mend it.
                metrics.error(error.code.rawValue)
                logger.critical("the sink stopped: the server refused it", metadata: ["error": "\(error.description)"])
                throw error
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                if ContinuousClock.now - started > .seconds(10) { wait = configuration.retryMin }
                metrics.error(Self.code(of: error))
                logger.warning("the sink will retry", metadata: ["error": "\(Self.describe(error))", "in": "\(wait)"])
                // SIGTERM ends the wait at once: a stop never waits out a retry.
                let pause = wait
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                wait = min(wait * 2, configuration.retryMax)
            }
        }
    }

    /// One attempt: connect to both sides, check the log, follow until something fails.
    /// The server first: a token whose role cannot give what was asked
    /// stops the sink before it creates anything in PostgreSQL.
    func follow() async throws {
        try await AccordClient.connect(configuration.server) { client in
            try checkRole(client.identity)
            try await PostgresTarget.with(configuration.postgres, schema: configuration.schema, primary: true, logger: logger) { target in
                try await follow(client, into: target)
            }
        }
    }

    private func checkRole(_ identity: JSONValue) throws {
        // A server without tokens names no role: it lets every connection read everything.
        guard configuration.includeRequests, let role = identity["role"]?.stringValue, role != "auditor", role != "admin" else { return }
        throw SinkError.configuration(
            "--include-law-enforcement-requests needs an auditor token (this token's role is \(role)); without it the sink copies no request details"
        )
    }

    private func follow(_ client: AccordClient, into target: PostgresTarget) async throws {
        let state = try await target.state()
        metrics.connected.record(1)
        defer { metrics.connected.record(0) }
        let origin = try await LogIdentity.check(state, client: client, logger: logger)
        try await target.storeGateways(try await client.request("gateways"))
        logger.notice(
            "following",
            metadata: ["position": "\(state.position)", "schema": "\(configuration.schema)", "postgres": "\(configuration.postgres)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await followProjections(client, into: target, from: state, origin: origin) }
            group.addTask { try await judgeDaily() }
            if configuration.includeRequests { group.addTask { try await followRequests(client, from: state.requestsPosition ?? 0) } }
            try await group.next()
            group.cancelAll()
        }
    }
}
