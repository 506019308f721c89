import AccordJSON

/// A replica's link to its primary, as the server needs it: the server
/// refuses appends naming `primary`, reports `replicationHealth` in
/// `health`, and records audited reads through `recordAuditedRead`.
public protocol PrimaryLink: Sendable {
    /// The primary's HOST:PORT, as the replica was told to follow it.
    var primary: String { get }
    /// The `replication` member of `health`: state, lag, the last verified
    /// checkpoint, and `ready` (false when stopped, or lagging past the bound).
    func replicationHealth() -> JSONValue
    /// Records `read` on the primary and calls `completion` once the
    /// `AuditedRead` event has come back through replication (so it is
    /// durable on both); fails `unavailable` when the primary cannot be
    /// reached in time. `completion` may run on any thread.
    func recordAuditedRead(_ read: AuditedReadRequest, completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
}
