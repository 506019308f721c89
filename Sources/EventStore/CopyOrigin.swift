import AccordCore

/// Events copied from another log (`EventStore.copy`), as one request: a
/// replica writes them at the positions, versions and commit times they
/// have there, so its log, projections and Merkle tree equal the primary's
/// byte for byte.
struct CopyOrigin: Sendable {
    /// The events as the primary recorded them, from the head on.
    var events: [RecordedEvent]
    /// Where each run of one stream's consecutive events begins in `events`
    /// (the hook sees one run at a time, as the primary's requests).
    var runStarts: [Int]
    /// Whether the append hook projects these events as it writes them.
    var projecting: Bool
}
