import AccordJSON
import Foundation

/// An event a client asks to append.
///
/// `eventId` makes retries safe forever: the store remembers every id it has
/// written, so re-sending the same event returns the original result and a
/// different event under a used id is refused.
public struct NewEvent: Sendable, Hashable {
    /// The longest event type name, in bytes.
    public static let maxTypeBytes = 128

    public var eventId: UUID
    /// The event's type, e.g. `AgreementApproved`: 1 to 128 of `A-Z a-z 0-9 _ . : -`.
    public var type: String
    /// The event's payload, a JSON object.
    public var data: CanonicalJSON
    /// Free-form context from the client (correlation ids and the like), a JSON object.
    public var metadata: CanonicalJSON
    /// When the fact took effect in the world, if the client knows; distinct from
    /// the store's `recordedAt`.
    public var occurredAt: Timestamp?

    public init(eventId: UUID, type: String, data: CanonicalJSON, metadata: CanonicalJSON = .emptyObject, occurredAt: Timestamp? = nil) {
        self.eventId = eventId
        self.type = type
        self.data = data
        self.metadata = metadata
        self.occurredAt = occurredAt
    }
}
