import AccordCore
import AccordJSON
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// One connection to the PostgreSQL that holds the copy, and the
/// transactions the sink runs on it. Not for concurrent use: each task of
/// the sink opens its own.
final class PostgresTarget: Sendable {
    let connection: PostgresConnection
    let schema: String
    let logger: Logger

    private init(connection: PostgresConnection, schema: String, logger: Logger) {
        self.connection = connection
        self.schema = schema
        self.logger = logger
    }

    /// Connects; the primary connection also takes the schema's advisory
    /// lock (one sink per schema) and brings the schema to the latest version.
    static func open(_ url: PostgresURL, schema: String, primary: Bool, logger: Logger) async throws -> PostgresTarget {
        let tls: PostgresConnection.Configuration.TLS =
            url.requireTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        let target = PostgresTarget(connection: connection, schema: schema, logger: logger)
        do {
            // Accord's dates are UTC days: current_date in the sink's statements must be one too.
            try await target.run("SET TIME ZONE 'UTC'")
            if primary {
                try await target.lock()
                try await target.migrate()
            }
            return target
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func close() async {
        try? await connection.close()
    }

    /// Runs `body` with a connection opened for it and closed after, however `body` ends.
    static func with<R: Sendable>(
        _ url: PostgresURL, schema: String, primary: Bool, logger: Logger, _ body: (PostgresTarget) async throws -> R
    ) async throws -> R {
        let target = try await open(url, schema: schema, primary: primary, logger: logger)
        do {
            let result = try await body(target)
            await target.close()
            return result
        } catch {
            await target.close()
            throw error
        }
    }

    /// Runs one statement of this schema with `json` as `$1`.
    @discardableResult
    func run(_ sql: String, json: String? = nil) async throws -> PostgresRowSequence {
        var binds = PostgresBindings()
        if let json { binds.append(json) }
        return try await query(PostgresQuery(unsafeSQL: sql.replacingOccurrences(of: "{s}", with: quotedSchema), binds: binds))
    }

    /// Every statement goes through here: PostgresNIO never answers a query
    /// written to a connection that has already closed, so that is checked first.
    /// A cancelled task closes the connection, which fails the query it waits for.
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        guard !connection.isClosed else { throw SinkError.disconnected("the connection to PostgreSQL closed") }
        let connection = connection
        return try await withTaskCancellationHandler {
            try await connection.query(query, logger: logger)
        } onCancel: {
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
    }

    var quotedSchema: String { SinkSchema.quoted(schema) }

    private func lock() async throws {
        let rows = try await query("SELECT pg_try_advisory_lock(hashtext(\("accord-sink:" + schema)))")
        for try await held in rows.decode(Bool.self) where !held {
            throw SinkError.busy("another sink holds schema \(schema); waiting for it to stop")
        }
    }

    private func migrate() async throws {
        for statement in SinkSchema.bootstrap { try await run(statement) }
        let found = try await version()
        guard found <= SinkSchema.latest else { throw SinkError.schemaTooNew(found: found, known: SinkSchema.latest) }
        for version in (found + 1)..<(SinkSchema.latest + 1) {
            try await transaction { [self] in
                for statement in SinkSchema.migrations[version - 1] { try await self.run(statement) }
                try await self.run("INSERT INTO {s}.schema_version (version) VALUES (\(version))")
            }
            logger.notice("schema migrated", metadata: ["schema": "\(schema)", "version": "\(version)"])
        }
    }

    func version() async throws -> Int {
        for try await version in try await run("SELECT coalesce(max(version), 0) FROM {s}.schema_version").decode(Int.self) {
            return version
        }
        return 0
    }

    /// Runs `body` in one transaction; any error rolls it back. A transaction
    /// that gets no answer in `answerTimeout` (a dropped network) closes the
    /// connection and fails, so the sink reconnects instead of waiting forever.
    func transaction<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R {
        try await answered { try await self.inTransaction(body) }
    }

    /// `body`, or `SinkError.disconnected` (and the connection closed, which
    /// fails what `body` waits for) when PostgreSQL gives no answer in `answerTimeout`.
    func answered<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R {
        try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: Self.answerTimeout)
                throw SinkError.disconnected("PostgreSQL did not answer within \(Self.answerTimeout)")
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    static let answerTimeout = Duration.seconds(60)

    private func inTransaction<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        try await run("BEGIN")
        do {
            let result = try await body()
            try await run("COMMIT")
            return result
        } catch {
            _ = try? await run("ROLLBACK")
            throw error
        }
    }
}
