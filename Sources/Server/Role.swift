/// What an authenticated principal may do. Checked for every operation
/// (`AccessPolicy`); a denied operation gets `forbidden` and is logged.
public enum Role: Sendable, Hashable {
    /// Case systems: append, and read what they need (reads of
    /// law-enforcement details are audited).
    case writer
    /// Reporting tools: the register, statistics, exports and watches of
    /// those; no events and no law-enforcement request details.
    case reader
    /// One recipient's own view, and nothing else.
    case recipient(id: String)
    /// Everything read-only: replays, histories, proofs and law-enforcement
    /// details (each such read recorded in `$audit`).
    case auditor
    /// Everything, including appends to `$`-streams and (later) tokens and backups.
    case admin
    /// A replica copying the log (`accord serve --follow`): reads the whole
    /// log unaudited (a copy is storage, not a person reading) and records
    /// its own clients' audited reads (`audit_read`). As powerful as a copy
    /// of the data directory: keep its token as safe.
    case replica

    /// The role's name in token files and in `hello`'s answer.
    public var name: String {
        switch self {
        case .writer: "writer"
        case .reader: "reader"
        case .recipient: "recipient"
        case .auditor: "auditor"
        case .admin: "admin"
        case .replica: "replica"
        }
    }

    /// Parses a role name; `recipient` needs the recipient id it is scoped to.
    public init?(name: String, recipientId: String?) {
        switch (name, recipientId) {
        case ("writer", nil): self = .writer
        case ("reader", nil): self = .reader
        case ("recipient", let id?) where !id.isEmpty: self = .recipient(id: id)
        case ("auditor", nil): self = .auditor
        case ("admin", nil): self = .admin
        case ("replica", nil): self = .replica
        default: return nil
        }
    }
}
