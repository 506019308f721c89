import AccordCore
import AccordJSON
import Merkle

extension NewEvent {
    /// The leaf hash's state after this event's own members (`writeEventHead`):
    /// hashed by the appending task so the writer only hashes the tail.
    func leafHead() -> LeafHasher {
        var writer = JSONWriter(capacity: data.bytes.count + metadata.bytes.count + 128)
        writer.writeEventHead(data: data.bytes, eventId: eventId, metadata: metadata.bytes, occurredAt: occurredAt)
        var hasher = LeafHasher()
        hasher.update(writer.bytes)
        return hasher
    }
}
