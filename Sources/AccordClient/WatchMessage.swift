import AccordCore
import AccordJSON
import Synchronization

/// What a watch delivers.
public enum WatchMessage: Sendable, Equatable {
    /// The rows of a watch of one projection as of `position`: every row, or
    /// those changed since the watch's `since` (first, and again after a reconnection).
    case snapshot(position: Position, rows: [JSONValue])
    /// One row that changed, with the position of the event that changed it.
    /// `projection` names its projection in a watch of several; such a watch
    /// delivers its answer's rows this way too, with the answer's position.
    case row(position: Position, row: JSONValue, projection: String?)
    /// (Watches with `progress`.) Every row changed by the events before
    /// `position` has been delivered.
    case progress(WatchProgress)
}

/// Where a watch with `progress` stands: a position all its rows reflect,
/// with the log's identity there, for a copy that resumes exactly.
public struct WatchProgress: Sendable, Equatable {
    /// The number of events the rows reflect.
    public var position: Position
    /// The log's Merkle root over those events (base64); `nil` at 0 or for a log without a tree.
    public var root: String?
    /// When the last of those events was recorded.
    public var recordedAt: Timestamp?

    public init(position: Position, root: String?, recordedAt: Timestamp?) {
        self.position = position
        self.root = root
        self.recordedAt = recordedAt
    }

    init(_ line: JSONValue) {
        position = Position(line["position"]?.int64Value ?? 0)
        root = line["root"]?.stringValue
        recordedAt = line["recordedAt"]?.stringValue.flatMap { Timestamp(storedRFC3339: $0) }
    }
}
