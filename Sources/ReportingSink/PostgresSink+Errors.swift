import AccordClient
import PostgresNIO

extension PostgresSink {
    /// A sentence for a failure: PostgreSQL's own message rather than
    /// PostgresNIO's deliberately generic description.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            return describe(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error)
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "PostgreSQL: \(message)" + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown:
                return "PostgreSQL: the connection failed or closed (\(error.underlying.map { "\($0)" } ?? "\(error.code)"))"
            default: return "PostgreSQL: \(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
            }
        }
        return "\(error)"
    }

    /// The code counted in `accord_sink_errors_total`.
    static func code(of error: any Error) -> String {
        switch error {
        case let error as SinkError: error.code
        case let error as ClientError: "accord_" + error.code.rawValue
        case is PSQLError, is PostgresTransactionError: "postgres"
        default: "other"
        }
    }
}
