import AccordClient
import AccordCore
import AccordJSON
import PostgresNIO

extension PostgresTarget {
    /// `sink_state` and the schema version as stored.
    func state() async throws -> SinkState {
        let version = try await version()
        let rows = try await run(
            """
            SELECT origin, position, root, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), events_applied, requests_position
            FROM {s}.sink_state
            """)
        for try await (origin, position, root, recordedAt, appliedAt, eventsApplied, requestsPosition) in rows.decode(
            (String?, Int64, String?, String?, String?, Int64, Int64?).self)
        {
            return SinkState(
                origin: origin, position: Position(position), root: root, recordedAt: recordedAt.flatMap(Timestamp.init(rfc3339:)),
                appliedAt: appliedAt.flatMap(Timestamp.init(rfc3339:)), eventsApplied: eventsApplied,
                requestsPosition: requestsPosition.map { Position($0) }, schemaVersion: version)
        }
        throw SinkError.configuration("schema \(schema) has no sink_state row: it was not made by this sink")
    }

    /// Writes a batch of projection rows and moves `sink_state` to its mark,
    /// in one transaction (one call of `apply_rows`). A mark not beyond the
    /// stored position (a second writer got there first) writes nothing.
    /// Returns whether it wrote.
    func apply(_ batch: ProjectionBatch, origin: String?) async throws -> Bool {
        guard let mark = batch.mark else { return false }
        var binds = PostgresBindings(capacity: 6)
        binds.append(batch.registerJSON)
        binds.append(batch.statisticsJSON)
        binds.append(Int64(mark.position))
        binds.append(mark.root)
        binds.append(origin)
        binds.append(mark.recordedAt?.rfc3339)
        let sql = "SELECT \(quotedSchema).apply_rows($1::json, $2::json, $3, $4, $5, $6::timestamptz)"
        return try await answered { [self, binds] in
            for try await applied in try await query(PostgresQuery(unsafeSQL: sql, binds: binds)).decode(Bool.self) {
                return applied
            }
            return false
        }
    }

    /// Inserts request events (each once: keyed by position) and moves
    /// `requests_position` to `reached`, in one transaction.
    func apply(requests columns: RequestColumns, reached: Position) async throws {
        try await transaction { [self] in
            _ = try await lockState()
            if columns.count > 0 {
                let sql = SinkStatements.insertRequests.replacingOccurrences(of: "{s}", with: quotedSchema)
                try await query(PostgresQuery(unsafeSQL: sql, binds: columns.bindings))
            }
            var binds = PostgresBindings()
            binds.append(Int64(reached))
            try await query(
                PostgresQuery(
                    unsafeSQL: "UPDATE \(quotedSchema).sink_state SET requests_position = greatest(coalesce(requests_position, 0), $1)",
                    binds: binds))
        }
    }

    /// Stores the server's gateway catalogue (titles for the register's `gateway_title`).
    func storeGateways(_ catalogue: JSONValue) async throws {
        try await run(SinkStatements.upsertGateways, json: catalogue.canonicalString)
    }

    /// Judges effective status and review due again when the date has moved on since the last judgement.
    func rejudgeIfNewDay() async throws {
        try await transaction { [self] in
            guard !(try await lockState()).judgedToday else { return }
            try await run(SinkStatements.rejudge)
            try await run("UPDATE {s}.sink_state SET judged_on = current_date")
            logger.info("register judged again on a new day", metadata: ["schema": "\(schema)"])
        }
    }

    /// Locks the state row for this transaction: sink transactions on the schema run one at a time.
    private func lockState() async throws -> (position: Position, requestsPosition: Position?, judgedToday: Bool) {
        for try await (position, requests, judged) in try await run(SinkStatements.lockState).decode((Int64, Int64?, Bool?).self) {
            return (Position(position), requests.map { Position($0) }, judged ?? false)
        }
        throw SinkError.configuration("schema \(schema) has no sink_state row")
    }
}
