import AccordCore
import AccordJSON
import Foundation

/// What a request asks for, decoded once and checked strictly: one case per
/// operation, with typed members. Every later layer switches on this, never
/// on the operation's name.
public enum Command: Sendable, Hashable {
    case ping
    case hello(token: String?, client: String?)
    case append(AppendCommand)
    case read(ReadCommand)
    case readAll(ReadAllCommand)
    case subscribe(SubscribeCommand)
    case unsubscribe(name: String)
    case watch(WatchCommand)
    case unwatch(name: String)
    case register(RegisterQuery)
    case agreement(AgreementQuery)
    case recipient(RecipientQuery)
    case lawEnforcementStats(StatisticsQuery)
    case export(ExportQuery)
    /// The signed checkpoint of the head, or of exactly `treeSize` events.
    case checkpoint(treeSize: UInt64?)
    case proveInclusion(position: Position, treeSize: UInt64?)
    case proveConsistency(oldSize: UInt64, newSize: UInt64?)
    case health
    case positionAt(recordedAt: Timestamp)
    case gateways
    /// Admin: the open connections.
    case connections
    /// Admin: close connection `connection` (as `connections` numbers it).
    case disconnect(connection: UInt64)
    /// Replica: record on this primary that one of the replica's clients read
    /// law-enforcement records (`AuditedRead` in `$audit`).
    case auditRead(AuditedReadRequest)
    /// Replica: the log's stored records from `from` on, as they are on
    /// disk (a bulk copy writes them without decoding each event).
    case readRecords(from: Position, limit: Int, maxBytes: Int)
    /// Admin: check the whole store (log, tree, checkpoint, projections) and report.
    case check
    /// Admin: rebuild the projections from the log, online.
    case rebuild
    /// Admin or replica: a newer primary (of `epoch`) took over; this server must take no more writes.
    case fence(epoch: UInt64, primary: String?, reason: String?)
    /// Admin or auditor: put a published edition on the record (`EditionPublished` in `$editions`).
    case publishEdition(EditionRecord)

    /// Every operation's name, as the protocol spells it.
    public static let operations = [
        "ping", "hello", "append", "read", "read_all", "subscribe", "unsubscribe", "watch", "unwatch", "register", "agreement",
        "recipient", "law_enforcement_stats", "export", "checkpoint", "prove_inclusion", "prove_consistency", "health", "position_at",
        "gateways", "connections", "disconnect", "audit_read", "read_records", "check", "rebuild", "fence",
        "publish_edition",
    ]

    /// The operation's name.
    public var op: String {
        switch self {
        case .ping: "ping"
        case .hello: "hello"
        case .append: "append"
        case .read: "read"
        case .readAll: "read_all"
        case .subscribe: "subscribe"
        case .unsubscribe: "unsubscribe"
        case .watch: "watch"
        case .unwatch: "unwatch"
        case .register: "register"
        case .agreement: "agreement"
        case .recipient: "recipient"
        case .lawEnforcementStats: "law_enforcement_stats"
        case .export: "export"
        case .checkpoint: "checkpoint"
        case .proveInclusion: "prove_inclusion"
        case .proveConsistency: "prove_consistency"
        case .health: "health"
        case .positionAt: "position_at"
        case .gateways: "gateways"
        case .connections: "connections"
        case .disconnect: "disconnect"
        case .auditRead: "audit_read"
        case .readRecords: "read_records"
        case .check: "check"
        case .rebuild: "rebuild"
        case .fence: "fence"
        case .publishEdition: "publish_edition"
        }
    }
}

/// `append`: events for one agreement, atomically.
public struct AppendCommand: Sendable, Hashable {
    public var agreementId: StreamName
    public var expected: ExpectedVersion
    public var events: [WireEvent]

    public init(agreementId: StreamName, expected: ExpectedVersion = .any, events: [WireEvent]) {
        self.agreementId = agreementId
        self.expected = expected
        self.events = events
    }
}

/// One event of an `append`, as sent: its `data` and `metadata` already in
/// the canonical form they are stored and hashed in.
public struct WireEvent: Sendable, Hashable {
    public var eventId: UUID
    public var type: String
    /// `data`, a JSON object, in canonical form.
    public var canonicalData: CanonicalJSON
    /// `metadata` in canonical form (`{}` when absent).
    public var canonicalMetadata: CanonicalJSON
    public var occurredAt: Timestamp?

    /// The members of `data`, parsed again from `canonicalData`: for tools
    /// and tests, never the request path.
    public var data: JSONObject { (try? canonicalData.value())?.objectValue ?? JSONObject() }
}

/// `read`: one agreement's events.
public struct ReadCommand: Sendable, Hashable {
    public var agreementId: StreamName
    public var from: StreamVersion?
    public var direction: Direction
    public var limit: Int

    public init(agreementId: StreamName, from: StreamVersion? = nil, direction: Direction = .forward, limit: Int = 100) {
        self.agreementId = agreementId
        self.from = from
        self.direction = direction
        self.limit = limit
    }
}

/// `read_all`: the log's events.
public struct ReadAllCommand: Sendable, Hashable {
    public var from: Position?
    public var direction: Direction
    public var limit: Int
    public var selection: EventSelection

    public init(from: Position? = nil, direction: Direction = .forward, limit: Int = 100, selection: EventSelection = EventSelection()) {
        self.from = from
        self.direction = direction
        self.limit = limit
        self.selection = selection
    }
}

/// Which way a read walks the log or a stream.
public enum Direction: String, Sendable, CaseIterable {
    case forward
    case backward
}

/// The `types`, `agreementId` and `recipientId` filters of `read_all` and `subscribe`.
public struct EventSelection: Sendable, Hashable {
    public var types: Set<String>?
    public var agreementId: StreamName?
    public var recipientId: String?

    public init(types: Set<String>? = nil, agreementId: StreamName? = nil, recipientId: String? = nil) {
        self.types = types
        self.agreementId = agreementId
        self.recipientId = recipientId
    }
}

/// `subscribe`: the log from a position.
public struct SubscribeCommand: Sendable, Hashable {
    public enum Start: Sendable, Hashable {
        case start
        case end
        case position(Position)
    }

    public var from: Start
    public var selection: EventSelection

    public init(from: Start = .end, selection: EventSelection = EventSelection()) {
        self.from = from
        self.selection = selection
    }
}

/// `watch`: one projection (or `register` and `law_enforcement_stats`
/// together, under one position) and its changes.
public struct WatchCommand: Sendable, Hashable {
    public enum Projection: Sendable, Hashable {
        case register
        case recipient(String)
        case statistics

        /// The name on the wire, which tags rows of a watch of several.
        public var name: String {
            switch self {
            case .register: "register"
            case .recipient: "recipient"
            case .statistics: "law_enforcement_stats"
            }
        }
    }

    /// One projection, or several when `tagged`.
    public var projections: [Projection]
    /// Asked as a list: rows are grouped (answer) or tagged (pushes) by projection.
    public var tagged: Bool
    public var on: CalendarDate?
    /// Answer with the rows changed by events from this position, not every row.
    public var since: Position?
    /// Push a line at each position reached, with the log's root there.
    public var progress: Bool

    /// `projections` holds one projection, or (`tagged`) `register` and `law_enforcement_stats`.
    public init(projections: [Projection], tagged: Bool = false, on: CalendarDate? = nil, since: Position? = nil, progress: Bool = false) {
        self.projections = projections
        self.tagged = tagged
        self.on = on
        self.since = since
        self.progress = progress
    }
}

/// Which history a query reads: `asOf` ("what the register said") or
/// `effectiveAt` ("what was in force, as known now").
public enum HistoryPoint: Sendable, Hashable {
    case head
    case position(Position)
    case recordedAt(Timestamp)
    case effectiveAt(Timestamp)

    /// The time it names, if it names one (for `on`'s default).
    public var time: Timestamp? {
        switch self {
        case .recordedAt(let time), .effectiveAt(let time): time
        case .head, .position: nil
        }
    }
}

/// `register`.
public struct RegisterQuery: Sendable, Hashable {
    public var history: HistoryPoint
    public var on: CalendarDate?
    public var filter: RegisterFilter

    public init(history: HistoryPoint = .head, on: CalendarDate? = nil, filter: RegisterFilter = RegisterFilter()) {
        self.history = history
        self.on = on
        self.filter = filter
    }
}

/// `agreement`.
public struct AgreementQuery: Sendable, Hashable {
    public var agreementId: StreamName
    public var history: HistoryPoint
    public var on: CalendarDate?
    /// `history: true`: every event of the agreement, too.
    public var includeEvents: Bool

    public init(agreementId: StreamName, history: HistoryPoint = .head, on: CalendarDate? = nil, includeEvents: Bool = false) {
        self.agreementId = agreementId
        self.history = history
        self.on = on
        self.includeEvents = includeEvents
    }
}

/// `recipient`.
public struct RecipientQuery: Sendable, Hashable {
    public var recipientId: String
    public var history: HistoryPoint
    public var on: CalendarDate?

    public init(recipientId: String, history: HistoryPoint = .head, on: CalendarDate? = nil) {
        self.recipientId = recipientId
        self.history = history
        self.on = on
    }
}

/// `law_enforcement_stats`.
public struct StatisticsQuery: Sendable, Hashable {
    public enum PeriodKind: String, Sendable, CaseIterable {
        case month
        case quarter
    }

    public var history: HistoryPoint
    public var periodKind: PeriodKind?
    public var requesterType: RequesterType?

    public init(history: HistoryPoint = .head, periodKind: PeriodKind? = nil, requesterType: RequesterType? = nil) {
        self.history = history
        self.periodKind = periodKind
        self.requesterType = requesterType
    }
}

/// `export`.
public struct ExportQuery: Sendable, Hashable {
    public enum Table: String, Sendable, CaseIterable {
        case register
        case statistics
    }

    public var table: Table
    public var history: HistoryPoint
    public var on: CalendarDate?

    public init(table: Table, history: HistoryPoint = .head, on: CalendarDate? = nil) {
        self.table = table
        self.history = history
        self.on = on
    }
}
