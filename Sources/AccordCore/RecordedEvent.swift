import AccordJSON
import Foundation

/// An event as the log holds it: immutable once committed.
///
/// `data` and `metadata` are the canonical bytes stored at append time and are
/// returned byte-for-byte the same on every read, so hashes over them are stable.
public struct RecordedEvent: Sendable, Hashable {
    public var position: Position
    public var stream: StreamName
    public var version: StreamVersion
    public var eventId: UUID
    public var type: String
    public var data: CanonicalJSON
    public var metadata: CanonicalJSON
    /// When the fact took effect, as the client said; `nil` if it did not say.
    public var occurredAt: Timestamp?
    /// When the store committed the event. Never earlier than any event before it.
    public var recordedAt: Timestamp
    /// Who appended it, as authenticated by the server; never set by the client.
    public var principal: String?

    public init(
        position: Position, stream: StreamName, version: StreamVersion, eventId: UUID, type: String,
        data: CanonicalJSON, metadata: CanonicalJSON, occurredAt: Timestamp?, recordedAt: Timestamp, principal: String?
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.eventId = eventId
        self.type = type
        self.data = data
        self.metadata = metadata
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.principal = principal
    }

    /// The effective time: `occurredAt` when given, else `recordedAt`.
    public var effectiveAt: Timestamp { occurredAt ?? recordedAt }

    /// About the bytes of its JSON line: `data`, `metadata` and the envelope.
    public var approximateBytes: Int { data.bytes.count + metadata.bytes.count + stream.rawValue.utf8.count + 256 }

}
