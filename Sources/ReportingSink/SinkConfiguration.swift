import AccordClient

/// What a sink follows and where it writes.
public struct SinkConfiguration: Sendable {
    /// The Accord server (a `reader` token suffices; an auditor's for `includeRequests`).
    public var server: ClientConfiguration
    public var postgres: PostgresURL
    /// The PostgreSQL schema that holds the copy (created when missing).
    public var schema: String
    /// Also copy every law-enforcement request (needs an auditor; each read is audited).
    public var includeRequests: Bool
    /// The most rows (or request events) one transaction takes while catching up.
    public var maxBatch: Int
    /// Waits between attempts after a failure: doubling from `retryMin` up to `retryMax`.
    public var retryMin: Duration
    public var retryMax: Duration

    public init(
        server: ClientConfiguration, postgres: PostgresURL, schema: String = "accord", includeRequests: Bool = false,
        maxBatch: Int = 20_000, retryMin: Duration = .milliseconds(250), retryMax: Duration = .seconds(30)
    ) throws(SinkError) {
        guard !schema.isEmpty, schema.utf8.count <= 63, !schema.hasPrefix("pg_") else {
            throw .configuration("--schema takes a PostgreSQL schema name of 1 to 63 bytes, not starting with pg_")
        }
        self.server = server
        self.postgres = postgres
        self.schema = schema
        self.includeRequests = includeRequests
        self.maxBatch = max(1, maxBatch)
        self.retryMin = retryMin
        self.retryMax = retryMax
    }
}
