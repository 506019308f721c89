import AccordCore

/// The copy's standing, kept in `sink_state` and written in the same
/// transaction as the rows it describes.
public struct SinkState: Sendable, Hashable {
    /// The log's origin (its checkpoint's first line); `nil` before the first batch.
    public var origin: String?
    /// The number of events the projection tables reflect.
    public var position: Position
    /// The log's Merkle root over those events (base64).
    public var root: String?
    /// When the last of those events was recorded, and when PostgreSQL committed it.
    public var recordedAt: Timestamp?
    public var appliedAt: Timestamp?
    public var eventsApplied: Int64
    /// With the request table: the position from which request events are still to be copied.
    public var requestsPosition: Position?
    /// The schema version the tables are at.
    public var schemaVersion: Int
}
