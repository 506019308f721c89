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
/// `data`: `{"principal", "op", "requestId", "records": [{"agreementId", "position"}]}`,
/// plus `repeatsUntil` when identical reads until then share it (`AuditLedger`);
/// the event's own `principal` and `recordedAt` say who and when. The
/// repeats' count follows in an `AuditedReadsRepeated` event: `{"principal",
/// "op", "coveredBy", "reads", "firstReadAt", "lastReadAt"}`.
struct ReadAudit: Sendable {
    static let stream = try! StreamName("$audit")
    static let eventType = "AuditedRead"
    static let repeatsType = "AuditedReadsRepeated"
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
    func prepare(_ read: AuditedReadRequest, recordedBy: String, repeatsUntil: Timestamp?) throws -> PreparedAppend {
        var data: JSONObject = [
            "principal": .string(read.principal), "op": .string(read.op), "requestId": read.requestId,
            "records": read.recordsJSON,
        ]
        if let repeatsUntil { data["repeatsUntil"] = .string(repeatsUntil.rfc3339) }
        let event = NewEvent(eventId: UUID.timeOrdered(), type: Self.eventType, data: try CanonicalJSON(.object(data)))
        return try store.prepare(to: Self.stream, events: [event], principal: recordedBy)
    }

    /// Puts on the record how often reads covered by an earlier `AuditedRead` repeated.
    func record(_ repeats: [AuditLedger.Repeats]) async throws {
        for window in repeats {
            let data: JSONValue = [
                "principal": .string(window.principal), "op": .string(window.op), "coveredBy": .integer(Int64(window.coveredBy)),
                "reads": .integer(Int64(window.reads)), "firstReadAt": .string(window.first.rfc3339),
                "lastReadAt": .string(window.last.rfc3339),
            ]
            let event = NewEvent(eventId: UUID.timeOrdered(), type: Self.repeatsType, data: try CanonicalJSON(data))
            try await store.append(to: Self.stream, events: [event], principal: window.recordedBy)
        }
    }
}
