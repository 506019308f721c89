import AccordCore
import AccordJSON
import Synchronization

/// What a watch delivers.
public enum WatchMessage: Sendable, Equatable {
    /// Every row of the projection as of `position` (first, and again after a reconnection).
    case snapshot(position: Position, rows: [JSONValue])
    /// One row that changed, with the position of the event that changed it.
    case row(position: Position, row: JSONValue)
}
