import AccordCore
import AccordJSON
import EventStore
import Foundation
import WireProtocol

/// Records who read law-enforcement request details: every answer or push
/// that carries them first appends one `AuditedRead` event to the `$audit`
/// stream, and is sent only once that event is durable (fail closed: if it
/// cannot be recorded, the details are not sent).
///
/// `data`: `{"principal", "op", "requestId", "records": [{"agreementId", "position"}]}`;
/// the event's own `principal` and `recordedAt` say who and when.
struct ReadAudit: Sendable {
    static let stream = try! StreamName("$audit")
    static let eventType = "AuditedRead"
    /// The events whose details are audited when read.
    static let disclosedTypeName: StaticString = "LawEnforcementAccessRecorded"
    static let disclosedType = disclosedTypeName.description

    let store: EventStore

    /// One law-enforcement record that an answer discloses.
    typealias Record = AuditedReadRequest.Record

    /// The law-enforcement records among `events`.
    static func records(in events: [RecordedEvent]) -> [Record] {
        events.compactMap { record(type: $0.type, stream: $0.stream.rawValue, position: $0.position) }
    }

    /// The law-enforcement record a stored event is, read in place; `nil` for any other event.
    static func record(_ stored: borrowing RecordView) -> Record? {
        stored.hasType(disclosedTypeName) ? Record(agreementId: stored.streamName, position: stored.position) : nil
    }

    /// The same for a held event's type and stream.
    static func record(type: String, stream: String, position: Position) -> Record? {
        type == disclosedType ? Record(agreementId: stream, position: position) : nil
    }

    /// The audit event for `read`, prepared for the writer, appended by
    /// `recordedBy`: the reader itself, or the replica that answered the read
    /// (`audit_read`). The details may leave only once it is durable.
    func prepare(_ read: AuditedReadRequest, recordedBy: String) throws -> PreparedAppend {
        let data: JSONValue = [
            "principal": .string(read.principal), "op": .string(read.op), "requestId": read.requestId,
            "records": read.recordsJSON,
        ]
        let event = NewEvent(eventId: UUID.timeOrdered(), type: Self.eventType, data: try CanonicalJSON(data))
        return try store.prepare(to: Self.stream, events: [event], principal: recordedBy)
    }
}
