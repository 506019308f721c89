import AccordCore
import AccordJSON
import Checkpoints
import EventStore
import Foundation

/// The log's checkpoint-signing keys, in the order they signed: every
/// `signing_key_rotated` event of `$keys`, with its position.
///
/// A checkpoint of `size` events is signed by the key in effect at that
/// size: the next key of the last rotation inside the tree, else the first
/// key. An auditor starts from the keys it was given and follows each
/// rotation the previous key endorsed; an unendorsed rotation (the previous
/// secret was lost) is followed only when the auditor was given its key.
public struct KeyChain: Sendable {
    /// The reserved stream: written only by `accord key rotate`, never over the wire.
    public static let stream = try! StreamName("$keys")
    public static let eventType = "signing_key_rotated"

    /// One rotation and where the log recorded it.
    public struct Link: Sendable {
        public let position: Position
        public let rotation: KeyRotation
        public let event: RecordedEvent
    }

    /// What an auditor may trust, and why.
    public struct Trust: Sendable {
        /// The keys trusted: those given, and those their endorsements reach.
        public var keys: [NoteVerifierKey]
        /// One sentence per rotation: followed, or why not.
        public var notes: [String]
        /// A rotation that does not continue the chain (a forged or garbled record).
        public var problem: String?
    }

    public let links: [Link]

    /// Reads every rotation from `store`.
    public init(store: EventStore) throws {
        var links: [Link] = []
        var from: StreamVersion?
        while true {
            let events = try store.readStream(Self.stream, from: from, limit: 1_000)
            for event in events { links.append(Link(position: event.position, rotation: try Self.rotation(from: event), event: event)) }
            guard events.count == 1_000, let last = events.last else { break }
            from = last.version + 1
        }
        self.links = links
    }

    /// A chain from rotation events already read (from a server's `checkpoint` answer).
    public init(events: [RecordedEvent]) throws {
        links = try events.map { Link(position: $0.position, rotation: try Self.rotation(from: $0), event: $0) }
    }

    /// The key that signs a checkpoint of `size` events, when the log ever rotated.
    public func signer(forSize size: UInt64) -> NoteVerifierKey? {
        links.last(where: { $0.position < size })?.rotation.next ?? links.first?.rotation.previous
    }

    /// Follows the chain from `given`.
    public func trust(startingFrom given: [NoteVerifierKey]) -> Trust {
        var trust = Trust(keys: given, notes: [])
        var inEffect = links.first?.rotation.previous
        if let first = links.first, !given.contains(first.rotation.previous) {
            trust.notes.append(
                "the log says it was signed by \(first.rotation.previous.text) before position \(first.position), which is not a key you gave"
            )
        }
        for link in links {
            let rotation = link.rotation
            guard rotation.previous == inEffect else {
                trust.problem =
                    "the rotation at position \(link.position) starts from \(rotation.previous.text), not the key then in effect \(inEffect?.text ?? "-")"
                return trust
            }
            inEffect = rotation.next
            if given.contains(rotation.next) {
                trust.notes.append("key rotated at position \(link.position) to \(rotation.next.text), a key you gave")
            } else if rotation.isEndorsed, trust.keys.contains(rotation.previous) {
                trust.keys.append(rotation.next)
                trust.notes.append("key rotated at position \(link.position) to \(rotation.next.text), endorsed by the previous key")
            } else if rotation.isEndorsed {
                trust.notes.append("key rotated at position \(link.position) to \(rotation.next.text), endorsed by a key you did not give")
            } else {
                trust.notes.append(
                    """
                    key rotated at position \(link.position) to \(rotation.next.text) without the previous key's endorsement \
                    (its secret was lost); trust it only if the operator published it: pass it with --key
                    """)
            }
        }
        return trust
    }

    /// Checks a signed checkpoint with the key in effect at its size, which
    /// `trust` must hold; before any rotation, with whichever given key signed it.
    /// - Returns: the checkpoint and the key that verified it.
    public func verify(_ text: String, trust: Trust, given: [NoteVerifierKey]) throws -> (SignedCheckpoint, NoteVerifierKey) {
        let size = try SignedCheckpoint.unverified(text: text).size
        let candidates = signer(forSize: size).map { [$0] } ?? given
        let trusted = candidates.filter { trust.keys.contains($0) }
        guard !trusted.isEmpty else {
            throw CheckpointError.badSignature(
                "the checkpoint of \(size) events is signed by \(candidates.first?.text ?? "-"), which is not a key you gave or one they endorsed"
            )
        }
        var failure: (any Error)?
        for key in trusted {
            do {
                return (try SignedCheckpoint(text: text, verifiedBy: key), key)
            } catch {
                failure = failure ?? error
            }
        }
        throw failure!
    }

    /// The event `accord key rotate` appends.
    public static func event(for rotation: KeyRotation, reason: String?) -> NewEvent {
        var data: [String: JSONValue] = ["previousKey": .string(rotation.previous.text), "newKey": .string(rotation.next.text)]
        if let endorsement = rotation.endorsement { data["endorsement"] = .string(endorsement) }
        if let reason { data["reason"] = .string(reason) }
        // An object literal of strings always canonicalizes.
        return NewEvent(eventId: UUID.timeOrdered(), type: eventType, data: try! CanonicalJSON(.object(JSONObject(data))))
    }

    static func rotation(from event: RecordedEvent) throws -> KeyRotation {
        let data = try JSONParser.parse(event.data.bytes)
        guard event.type == eventType, let previous = data["previousKey"]?.stringValue, let next = data["newKey"]?.stringValue else {
            throw CheckpointError.malformedKey("event \(event.position) in \(stream) is not a \(eventType) record")
        }
        return KeyRotation(
            previous: try NoteVerifierKey(text: previous), next: try NoteVerifierKey(text: next),
            endorsement: data["endorsement"]?.stringValue)
    }
}
