import AccordCore
import AccordJSON
import Synchronization

/// The register rows watches push, each computed once and shared by every
/// watch: a row is decided by its agreement, the position of the event that
/// last changed it, and the date it is read on, so twenty watchers of the
/// register decode and encode a changed agreement once, not twenty times.
///
/// Bounded: past `capacity` rows it starts again empty (live watches only
/// ask for the newest changes).
final class RowCache: Sendable {
    struct Key: Hashable, Sendable {
        let agreementId: String
        let position: Position
        let on: CalendarDate
    }

    /// A row, and the recipient it belongs to (recipient watches filter on it).
    struct Row: Sendable {
        let recipientId: String
        let row: JSONValue
    }

    private let rows = Mutex<[Key: Row]>([:])
    private let capacity: Int

    init(capacity: Int = 2_048) {
        self.capacity = capacity
    }

    /// The row for `key`, computed by `make` unless a watch already did.
    func row(_ key: Key, _ make: () throws -> Row?) rethrows -> Row? {
        if let row = rows.withLock({ $0[key] }) { return row }
        guard let row = try make() else { return nil }
        rows.withLock { rows in
            if rows.count >= capacity { rows.removeAll(keepingCapacity: true) }
            rows[key] = row
        }
        return row
    }
}
