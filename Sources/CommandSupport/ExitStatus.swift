/// The exit statuses every `accord` command uses, so a script or a monitor
/// can tell a failed check from a mistake from an unreachable server
/// (ops/README.md#exit-statuses).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done; for checks, everything checked passed.
    case ok = 0
    /// A check failed: `verify` found a difference, `health` is not ok,
    /// the server refused the request on its merits (not found, conflict).
    case checkFailed = 1
    /// Usage or configuration: a flag, a file, a data directory, a setting
    /// out of range, a request the server found malformed.
    case usage = 2
    /// No answer: the connection failed or timed out, the server closed it,
    /// or it would not authenticate or authorise the request.
    case noAnswer = 3
}
