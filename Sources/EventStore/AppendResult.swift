import AccordCore
import Merkle

/// What an append wrote (or, for a retry, what the original append wrote),
/// with its receipt: the events' Merkle leaf hashes and a tree that includes them.
public struct AppendResult: Sendable, Hashable {
    /// The positions of the request's events, consecutive, in request order.
    public var positions: Range<Position>
    /// The stream's version after the append: the last event's version.
    public var streamVersion: StreamVersion
    /// The commit time stamped on the events.
    public var recordedAt: Timestamp
    /// `true` when every event was already present and nothing was written.
    public var wasDuplicate: Bool
    /// RFC 6962 leaf hashes of the events, in position order.
    public var leafHashes: [TreeHash]
    /// The size of a committed tree that includes the events: the log's head
    /// after the commit that wrote them (or, for a retry, that answered it).
    public var treeSize: UInt64

    public init(
        positions: Range<Position>, streamVersion: StreamVersion, recordedAt: Timestamp, wasDuplicate: Bool,
        leafHashes: [TreeHash] = [], treeSize: UInt64 = 0
    ) {
        self.positions = positions
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
        self.wasDuplicate = wasDuplicate
        self.leafHashes = leafHashes
        self.treeSize = treeSize
    }
}
