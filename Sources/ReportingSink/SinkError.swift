/// Why the PostgreSQL sink stopped or retries.
public enum SinkError: Error, CustomStringConvertible, Sendable {
    /// The log the server holds is not the one the tables were copied from.
    case mismatchedLog(String)
    /// The schema in PostgreSQL is newer than this sink knows.
    case schemaTooNew(found: Int, known: Int)
    /// The sink's options or the server's answers make no sense together.
    case configuration(String)
    /// Another sink holds the schema (retried: it may be a previous run still closing).
    case busy(String)
    /// The connection to PostgreSQL closed (retried).
    case disconnected(String)

    /// Whether the sink stops rather than retries: waiting would not change the answer.
    public var isFatal: Bool {
        switch self {
        case .mismatchedLog, .schemaTooNew, .configuration: true
        case .busy, .disconnected: false
        }
    }

    /// The code a status line or metric reports.
    public var code: String {
        switch self {
        case .mismatchedLog: "mismatched_log"
        case .schemaTooNew: "schema_too_new"
        case .configuration: "configuration"
        case .busy: "busy"
        case .disconnected: "postgres"
        }
    }

    public var description: String {
        switch self {
        case .mismatchedLog(let why): "the server's log is not the one this schema was copied from: \(why)"
        case .schemaTooNew(let found, let known):
            "the schema is at version \(found) but this sink knows versions up to \(known): upgrade the sink"
        case .configuration(let why), .busy(let why), .disconnected(let why): why
        }
    }
}
