import AccordCore
import Merkle

/// One caller's append: atomic, all events or none.
struct AppendRequest: Sendable {
    var stream: StreamName
    var expected: ExpectedVersion
    var events: [NewEvent]
    var principal: String?
    /// What the append hook prepared outside the writer, boxed: an `any
    /// Sendable` member made the request address-only, so that every copy
    /// and read of it went through value witnesses (seen in the profile).
    var prepared: Prepared?
    /// Each event's leaf hash state after its own members (`NewEvent.leafHead`),
    /// computed by the caller; empty when the store keeps no tree.
    var leafHeads: [LeafHasher] = []
    /// Set when the events are copied from a primary (`EventStore.copy`).
    var copy: CopyOrigin?
    /// Set when stored records are copied as they are (`EventStore.copy(_:)`); `events` is then empty.
    var stored: StoredCopy?
    /// Whether the events keep the commit times another log gave them.
    var isCopy: Bool { copy != nil || stored != nil }
    /// A bulk copy's events skip the append hook; its projections are
    /// rebuilt afterwards (`EventStore.copy(_:projecting:)`).
    var skipsHook: Bool { copy?.projecting == false || stored != nil }

    /// The events this request appends.
    var eventCount: Int { stored?.entries.count ?? events.count }

    /// Bytes this request adds to a transaction, roughly.
    var size: Int {
        stored.map { $0.bytes.count + $0.entries.count * 64 }
            ?? events.reduce(0) { $0 + $1.data.bytes.count + $1.metadata.bytes.count + 96 }
    }
}

extension AppendRequest {
    /// What an append hook's `prepare` returned.
    final class Prepared: Sendable {
        let value: any Sendable

        init(_ value: any Sendable) {
            self.value = value
        }
    }
}
