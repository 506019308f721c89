import AccordCore

/// Why replication stopped, or a replica could not answer.
public enum ReplicationError: CodedError, Sendable {
    /// The primary's history does not match what this replica copied and
    /// verified (a root, a proof, a signature, a shorter log, an event the
    /// rules refuse): replication stops and keeps everything copied so far.
    case diverged(String)
    /// The replica cannot follow as configured (wrong token role, another log).
    case configuration(String)
    /// A read that must be audited on the primary could not be, in time.
    case unavailable(String)

    public var code: ErrorCode {
        switch self {
        case .diverged, .configuration: .internal
        case .unavailable: .unavailable
        }
    }

    public var description: String {
        switch self {
        case .diverged(let why): "the primary's log does not match this replica's verified copy: \(why)"
        case .configuration(let why): why
        case .unavailable(let why): why
        }
    }

    /// Whether replication must stop rather than retry.
    var stopsReplication: Bool {
        switch self {
        case .diverged, .configuration: true
        case .unavailable: false
        }
    }
}
