import AccordCore
import AccordJSON
import Foundation

extension WireEvent {
    /// An event to send: `data` and `metadata` in canonical form.
    public init(
        eventId: UUID, type: String, data: CanonicalJSON, metadata: CanonicalJSON = .emptyObject, occurredAt: Timestamp? = nil
    ) {
        self.init(eventId: eventId, type: type, canonicalData: data, canonicalMetadata: metadata, occurredAt: occurredAt)
    }
}
