import AccordCore
import AccordJSON
import Agreements
import EventStore
import Foundation
import Registry
import Transparency
import WireProtocol

/// Executes requests against the log and the registry. No I/O of its own
/// beyond LMDB; `Connection` frames and orders the results.
struct Operations: Sendable {
    let store: EventStore
    let registry: Registry
    let checkpointer: Checkpointer
    /// Today's date for `on` when a query does not give one (read at query time, never stored).
    let today: @Sendable () -> CalendarDate

    func ping() -> JSONValue {
        ["head": .integer(Int64(store.head))]
    }

    func append(_ request: Request, principal: String) async throws -> AppendResult {
        let stream = try request.agreementId()
        let expected = try request.members["expectedVersion"].map { value throws(WireError) in try ExpectedVersion(json: value) } ?? .any
        guard case .array(let items)? = request.members["events"] else {
            throw WireError.badRequest("events is required: an array of events", field: "events")
        }
        let events = try items.enumerated().map { index, item throws(WireError) in try Self.newEvent(item, index: index) }
        guard stream != ReadAudit.stream else {
            throw WireError(.forbidden, "the \(ReadAudit.stream) stream is written by the server only", details: ["field": "agreementId"])
        }
        return try await store.append(to: stream, expected: expected, events: events, principal: principal)
    }

    static func newEvent(_ item: JSONValue, index: Int) throws(WireError) -> NewEvent {
        let field = "events[\(index)]"
        guard case .object(let m) = item else { throw .badRequest("\(field) must be an object", field: field) }
        guard case .string(let idText)? = m["eventId"], let id = UUID(text: idText) else {
            throw .badRequest("\(field).eventId must be a UUID", field: "\(field).eventId")
        }
        guard case .string(let type)? = m["type"] else { throw .badRequest("\(field).type must be a string", field: "\(field).type") }
        guard let dataValue = m["data"], case .object = dataValue else {
            throw .badRequest("\(field).data must be an object", field: "\(field).data")
        }
        var metadata = CanonicalJSON.emptyObject
        if let meta = m["metadata"], meta != .null {
            guard case .object = meta else { throw .badRequest("\(field).metadata must be an object", field: "\(field).metadata") }
            metadata = try! CanonicalJSON(meta)
        }
        var occurredAt: Timestamp?
        if let occurred = m["occurredAt"], occurred != .null {
            guard case .string(let text) = occurred, let time = Timestamp(rfc3339: text) else {
                throw .badRequest("\(field).occurredAt must be an RFC 3339 time", field: "\(field).occurredAt")
            }
            occurredAt = time
        }
        return NewEvent(eventId: id, type: type, data: try! CanonicalJSON(dataValue), metadata: metadata, occurredAt: occurredAt)
    }

    func read(_ request: Request, id: JSONValue) throws -> Answer {
        let stream = try request.agreementId()
        let from = try request.optionalInt("from").map { StreamVersion($0) }
        let (events, version) = try store.read { txn in
            (
                try store.log.readStream(stream, from: from, direction: try request.direction().scan, limit: try request.limit(), in: txn),
                try store.log.streamVersion(stream, in: txn)
            )
        }
        return Answer(
            Response.ok(id, ["streamVersion": version.map { .integer(Int64($0)) } ?? .null], events: "events", events),
            disclosing: ReadAudit.records(in: events))
    }

    func readAll(_ request: Request, id: JSONValue) throws -> Answer {
        let direction = try request.direction().scan
        let limit = try request.limit()
        let filter = try EventFilter(request, registry: registry)
        let head = store.head
        let (events, next) = try store.read { txn in
            let start = try request.optionalInt("from").map { Position($0) }
            let found = try filter.collect(from: start, direction: direction, limit: limit, budget: limit * 64, log: store.log, in: txn)
            guard let last = found.last, !found.exhausted else { return (found.events, Position?.none) }
            return (found.events, direction == .forward ? last + 1 : (last > 0 ? last - 1 : nil))
        }
        return Answer(
            Response.ok(id, ["next": next.map { .integer(Int64($0)) } ?? .null, "head": .integer(Int64(head))], events: "events", events),
            disclosing: ReadAudit.records(in: events))
    }
}
