import AccordCore
import AccordJSON
import Agreements
import EventStore
import LMDB
import Registry
import WireProtocol

/// The `types`, `agreementId` and `recipientId` filters of `read_all` and `subscribe`.
struct EventFilter: Sendable {
    var types: Set<String>?
    var agreement: StreamName?
    var recipientId: String?
    let registry: Registry

    init(_ selection: EventSelection, registry: Registry) {
        types = selection.types
        agreement = selection.agreementId
        recipientId = selection.recipientId
        self.registry = registry
    }

    /// Whether every event passes: no filter at all.
    var passesEverything: Bool { types == nil && agreement == nil && recipientId == nil }

    /// Whether `event` passes (types are already filtered by the scan).
    func matches(_ event: RecordedEvent, in txn: borrowing Transaction) throws -> Bool {
        try passes(type: event.type, stream: event.stream.rawValue, isSystem: event.stream.isSystem) {
            try registry.agreement($0, in: txn)?.recipient.id
        }
    }

    /// Whether an event of `type` in `stream` passes; `recipient` gives the
    /// recipient of an agreement (asked only with a recipient filter, never
    /// for a system stream).
    func passes(type: String, stream: String, isSystem: Bool, recipient: (String) throws -> String?) rethrows -> Bool {
        if let types, !types.contains(type) { return false }
        if let agreement, stream != agreement.rawValue { return false }
        if let recipientId {
            guard !isSystem else { return false }
            return try recipient(stream) == recipientId
        }
        return true
    }

    /// Up to `limit` matching events from `start`, visiting at most `budget`
    /// events (of the filtered types), so that a filter matching little still
    /// bounds the work, and stopping after the event that brings them to
    /// `maxBytes`. `exhausted`: the scan reached the end of the log.
    func collect(
        from start: Position?, direction: ScanDirection = .forward, limit: Int, budget: Int, maxBytes: Int = Operations.maxPageBytes,
        log: LogReader, in txn: borrowing Transaction
    ) throws -> (events: [RecordedEvent], last: Position?, exhausted: Bool) {
        var events: [RecordedEvent] = []
        var last: Position?
        var scanned = 0
        var bytes = 0
        var stopped = false
        try log.scan(from: start, direction: direction, types: types, in: txn) { event in
            last = event.position
            scanned += 1
            if try matches(event, in: txn) {
                events.append(event)
                bytes += event.approximateBytes
            }
            stopped = events.count >= limit || scanned >= budget || bytes >= maxBytes
            return !stopped
        }
        return (events, last, !stopped)
    }
}
