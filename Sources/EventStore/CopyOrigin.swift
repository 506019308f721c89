import AccordCore

/// Where a copied request's events already stand in another log: a replica
/// writes them at the same position, version and commit time, so its log,
/// projections and Merkle tree equal the primary's byte for byte.
struct CopyOrigin: Sendable {
    /// The first event's position; the copy is refused unless it is the head.
    var position: Position
    /// The first event's version; refused unless the stream's next.
    var version: StreamVersion
    /// The primary's commit time of these events.
    var recordedAt: Timestamp
    /// Whether the append hook projects these events as it writes them.
    var projecting = true
}
