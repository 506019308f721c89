import AccordCore
import AccordJSON
import Merkle

/// One event's Merkle leaf, waiting for the members its commit decides.
///
/// The appending task hashed the event's own members (`NewEvent.leafHead`);
/// the leaf is finished with `position` … `version` once the event's request
/// has succeeded in its commit.
struct PendingLeaf {
    var head: LeafHasher
    var position: Position
    var principal: String?
    var stream: StreamName
    var type: String
    var version: StreamVersion
    /// A copied event's own commit time; `nil` for the commit's.
    var recordedAt: Timestamp?
    /// The whole leaf hash, when the copying task could finish it (a stored record's).
    var finished: TreeHash?

    /// A leaf hashed before the commit.
    init(finished: TreeHash) {
        self.finished = finished
        head = LeafHasher()
        position = 0
        stream = StreamName(trusted: "")
        type = ""
        version = 0
    }

    init(_ record: RecordedEvent, head: LeafHasher, ownRecordedAt: Bool = false) {
        self.head = head
        recordedAt = ownRecordedAt ? record.recordedAt : nil
        position = record.position
        principal = record.principal
        stream = record.stream
        type = record.type
        version = record.version
    }

    /// The leaf hash, given the commit's `recordedAt` as JSON; `scratch` is reused between leaves.
    func hash(recordedAtJSON: [UInt8], scratch: inout JSONWriter) -> TreeHash {
        if let finished { return finished }
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.writeEventTail(
            position: position, principal: principal?.utf8, stream: stream.rawValue.utf8, type: type.utf8,
            version: version,
            writeRecordedAt: { writer in
                if let recordedAt { recordedAt.writeRFC3339(into: &writer) } else { writer.writeRaw(recordedAtJSON) }
            })
        var hasher = head
        hasher.update(scratch.bytes)
        return hasher.finalize()
    }
}
