import AccordCore
import WireProtocol

/// A projection a watch follows.
public enum WatchedProjection: Sendable, Hashable {
    case register
    case recipient(String)
    case lawEnforcementStats

    /// Its name on the wire.
    public var name: String {
        switch self {
        case .register: "register"
        case .recipient: "recipient"
        case .lawEnforcementStats: "law_enforcement_stats"
        }
    }

    var projection: WatchCommand.Projection {
        switch self {
        case .register: .register
        case .recipient(let id): .recipient(id)
        case .lawEnforcementStats: .statistics
        }
    }
}

/// How a watch starts and what it reports besides rows.
public struct WatchOptions: Sendable, Hashable {
    /// The date effective statuses are judged on (default: the server's today).
    public var on: CalendarDate?
    /// Start with the rows changed by events from this position rather than every row.
    public var since: Position?
    /// Deliver `.progress` after the answer and after each batch of changes.
    public var progress: Bool

    public init(on: CalendarDate? = nil, since: Position? = nil, progress: Bool = false) {
        self.on = on
        self.since = since
        self.progress = progress
    }
}
