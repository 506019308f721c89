import AccordCore
import AccordJSON
import Merkle

extension NewEvent {
    /// The leaf hash's state after this event's own members (what
    /// `writeEventHead` writes): hashed by the appending thread so the writer
    /// only hashes the tail. The pieces go to the hash as they are; the
    /// stored bytes are not copied into another buffer first.
    func leafHead() -> LeafHasher {
        var hasher = LeafHasher()
        var head = JSONWriter(capacity: 96)
        head.writeEventHead(eventId: eventId, occurredAt: occurredAt) { writer, member in
            hasher.update(writer.bytes)
            writer.bytes.removeAll(keepingCapacity: true)
            hasher.update(member == .data ? data.bytes : metadata.bytes)
        }
        hasher.update(head.bytes)
        return hasher
    }
}
