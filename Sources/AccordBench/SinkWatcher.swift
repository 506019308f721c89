import Foundation
import Logging
import PostgresNIO

/// The benchmark's own connection to the PostgreSQL the sink writes: it
/// reads positions and counts, and hears each commit of `sink_state` through
/// a trigger's `NOTIFY`, so visibility is timed without polling.
final class SinkWatcher: Sendable {
    let connection: PostgresConnection
    private let logger = Logger(label: "accord.bench.sink", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(connection: PostgresConnection) {
        self.connection = connection
    }

    static func connect(port: Int) async throws -> SinkWatcher {
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: port, username: "postgres", password: nil, database: "postgres", tls: .disable)
        let logger = Logger(label: "accord.bench.sink", factory: { _ in SwiftLogNoOpLogHandler() })
        return SinkWatcher(connection: try await PostgresConnection.connect(configuration: configuration, id: 9, logger: logger))
    }

    func close() {
        _ = connection.close() as EventLoopFuture<Void>
    }

    /// `sink_state.position` of `schema` (0 before the sink made it).
    func position(schema: String) async throws -> UInt64 {
        do {
            for try await position in try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT position FROM \(schema).sink_state"), logger: logger
            ).decode(Int64.self) {
                return UInt64(position)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
            return 0
        }
        return 0
    }

    /// Rows of `table` (0 before it exists).
    func count(_ table: String) async throws -> Int {
        do {
            for try await count in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: logger)
                .decode(Int64.self)
            {
                return Int(count)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
            return 0
        }
        return 0
    }

    /// Adds a trigger that notifies `accord_sink_position` with each committed position (benchmark only).
    func notifyOnCommit(schema: String) async throws {
        for statement in [
            """
            CREATE OR REPLACE FUNCTION \(schema).bench_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('accord_sink_position', NEW.position::text); RETURN NEW; END $$
            """,
            "DROP TRIGGER IF EXISTS bench_notify ON \(schema).sink_state",
            "CREATE TRIGGER bench_notify AFTER UPDATE ON \(schema).sink_state FOR EACH ROW EXECUTE FUNCTION \(schema).bench_notify()",
        ] {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}
