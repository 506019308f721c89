/// What an append wrote (or, for a retry, what the original append wrote).
public struct AppendResult: Sendable, Hashable {
    /// The positions of the request's events, consecutive, in request order.
    public var positions: Range<Position>
    /// The stream's version after the append: the last event's version.
    public var streamVersion: StreamVersion
    /// The commit time stamped on the events.
    public var recordedAt: Timestamp
    /// `true` when every event was already present and nothing was written.
    public var wasDuplicate: Bool

    public init(positions: Range<Position>, streamVersion: StreamVersion, recordedAt: Timestamp, wasDuplicate: Bool) {
        self.positions = positions
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
        self.wasDuplicate = wasDuplicate
    }
}
