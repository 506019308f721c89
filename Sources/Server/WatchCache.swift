import AccordCore
import Agreements
import WireProtocol

/// What watches compute once and share: every row they push and every
/// step's list of changes. A register row is decided by its agreement, the
/// position of the event that last changed it and the date; a statistics
/// row by its key and the position of its last change; the changes of a
/// step by the positions it covers, the date and the projections watched.
/// So twenty watchers of the register woken by one commit scan its events,
/// decode its agreements and encode its rows once, then each copies bytes.
///
/// Bounded (ops/README.md, memory): at most 2,048 rows (about a KB of
/// JSON each), and step lists referring to at most 2,048 rows in all (a
/// list is shared at any length, so that watches that fell behind together
/// catch up together at the cost of one).
final class WatchCache: Sendable {
    /// A row's canonical JSON, and for a register row the recipient it belongs to.
    struct Row: Sendable {
        let recipientId: String?
        let json: [UInt8]
    }

    enum RowKey: Hashable, Sendable {
        case agreement(String, position: Position, on: CalendarDate)
        case statistics(LawEnforcementStatistics.Key, position: Position)
    }

    /// A changed row: its projection (an index into the watch's), and the
    /// position of the event that last changed it.
    struct Change: Sendable {
        let projection: Int
        let position: Position
        let row: Row
    }

    struct StepKey: Hashable, Sendable {
        let start: Position
        let reached: Position
        let on: CalendarDate
        let projections: [WatchCommand.Projection]
    }

    let rows = SharedCache<RowKey, Row>(capacity: 2_048)
    let steps = SharedCache<StepKey, [Change]>(capacity: 2_048) { $0.count }
}
