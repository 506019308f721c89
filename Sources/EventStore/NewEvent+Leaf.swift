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
        head.writeRaw(#"{"data":"#)
        hasher.update(head.bytes)
        hasher.update(data.bytes)
        head.bytes.removeAll(keepingCapacity: true)
        head.writeRaw(#","eventId":""#)
        eventId.appendLowercaseText(to: &head.bytes)
        head.writeRaw(#"","metadata":"#)
        hasher.update(head.bytes)
        hasher.update(metadata.bytes)
        if let occurredAt {
            head.bytes.removeAll(keepingCapacity: true)
            head.writeRaw(#","occurredAt":"#)
            occurredAt.writeRFC3339(into: &head)
            hasher.update(head.bytes)
        }
        return hasher
    }
}
