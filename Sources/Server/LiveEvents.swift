import AccordCore
import AccordJSON
import EventStore
import WireProtocol

/// The newest committed events, read from the log once per event loop and
/// copied into the line of every subscription on the loop that is level
/// with them: a pushed event costs its subscriber a copy of bytes, not a
/// read, a decode and an encode.
///
/// Confined to its loop. A commit `advance`s it to the new head; the events
/// since the last head are read on first use (not at all while every
/// subscription on the loop is behind), at most `limit` of them. A
/// subscription takes them only from its own position, so one that fell
/// behind reads from the log as before and rejoins here once level: never
/// a gap or a duplicate.
final class LiveEvents {
    private struct Event {
        let bytes: Range<Int>
        let type: String
        let stream: String
        let isSystem: Bool
    }

    private let store: EventStore
    private let limit: Int
    /// The events held: `start..<start + events.count`, once read.
    private var start: Position
    private var end: Position
    private var loaded = false
    private var events: [Event] = []
    /// The held events' canonical JSON, one after another.
    private var json = JSONWriter(capacity: 16_384)
    /// The recipients of the held events' agreements, looked up when a
    /// subscription filtering on a recipient first asks.
    private var recipients: [String: String?]?

    init(store: EventStore, limit: Int) {
        self.store = store
        self.limit = limit
        start = store.head
        end = start
    }

    /// A commit moved the head to `head`: the events since the last one are new.
    func advance(to head: Position) {
        guard head > end else { return }
        // After a pause (the loop stops observing while nothing streams on
        // it) or a commit of more than `limit` events: the newest ones.
        (start, end, loaded, recipients) = (max(end, head - min(head, Position(limit))), head, false, nil)
        events.removeAll(keepingCapacity: true)
        // Keep the buffer for the next commit, unless a commit of large events grew it.
        json.bytes.removeAll(keepingCapacity: json.bytes.capacity <= 1 << 20)
    }

    /// The lines of subscription `sub` for the held events from `next` that
    /// `filter` passes, the law-enforcement records among them, and where it
    /// resumes; `nil` when `next` is not among the held events.
    func lines(sub: String, filter: EventFilter, from next: Position) throws -> SubscriptionStream.PushChunk? {
        guard next >= start, next < end else { return nil }
        if !loaded { try load() }
        guard next < start + Position(events.count) else { return nil }
        if filter.recipientId != nil, recipients == nil { try lookUpRecipients(filter) }
        var writer = JSONWriter(capacity: 256)
        var disclosed: [ReadAudit.Record] = []
        for index in Int(next - start)..<events.count {
            let event = events[index]
            let passes = filter.passes(type: event.type, stream: event.stream, isSystem: event.isSystem) { recipients?[$0] ?? nil }
            guard passes else { continue }
            Push.event(sub: sub, into: &writer) { $0.writeRaw(json.bytes[event.bytes]) }
            if let audited = ReadAudit.record(type: event.type, stream: event.stream, position: start + Position(index)) {
                disclosed.append(audited)
            }
        }
        return (writer.bytes, disclosed, start + Position(events.count))
    }

    private func load() throws {
        let (start, end, limit) = (start, end, limit)
        try store.read { txn in
            try store.log.scanRecords(from: start, in: txn) { record in
                guard record.position < end, events.count < limit, json.bytes.count < Operations.maxPageBytes else { return false }
                let first = json.bytes.count
                record.writeJSON(into: &json)
                let bytes = first..<json.bytes.count
                events.append(Event(bytes: bytes, type: record.typeName, stream: record.streamName, isSystem: record.isInSystemStream))
                return true
            }
        }
        loaded = true
    }

    private func lookUpRecipients(_ filter: EventFilter) throws {
        var found: [String: String?] = [:]
        try store.read { txn in
            for event in events where !event.isSystem && found[event.stream] == nil {
                found[event.stream] = .some(try filter.registry.agreement(event.stream, in: txn)?.recipient.id)
            }
        }
        recipients = found
    }
}
