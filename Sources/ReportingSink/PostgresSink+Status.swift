import AccordCore
import Logging
import PostgresNIO

extension PostgresSink {
    /// What PostgreSQL holds of a copy: its `sink_state` and the tables' row counts.
    public struct Copy: Sendable {
        public var state: SinkState
        public var rows: [(table: String, count: Int64)]
    }

    /// Reads a copy's standing (for `accord sink status`), without taking the sink's lock.
    public static func copy(at url: PostgresURL, schema: String, logger: Logger) async throws -> Copy {
        try await PostgresTarget.with(url, schema: schema, primary: false, logger: logger) { target in
            let exists = try await target.query("SELECT to_regclass(\(SinkSchema.quoted(schema) + ".sink_state")) IS NOT NULL")
            for try await found in exists.decode(Bool.self) where !found {
                throw SinkError.configuration("schema \(schema) of \(url) holds no Accord copy (no sink_state table)")
            }
            let state = try await target.state()
            var rows: [(String, Int64)] = []
            for table in ["register", "law_enforcement_statistics", "law_enforcement_requests"] {
                for try await count in try await target.run("SELECT count(*) FROM {s}.\(table)").decode(Int64.self) {
                    rows.append((table, count))
                }
            }
            return Copy(state: state, rows: rows)
        }
    }
}
