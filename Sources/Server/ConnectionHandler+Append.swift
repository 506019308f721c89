import AccordCore
import AccordJSON
import EventStore
import Transparency
import WireProtocol

extension ConnectionHandler {
    /// Streams no client may append to, not even an admin, and who writes them.
    static let reservedStreams: [StreamName: String] = [
        ReadAudit.stream: "the server", KeyChain.stream: "accord key rotate", ReplicaPromotion.stream: "accord promote",
    ]
    /// Prepares an append here (canonical bytes written once from the parsed
    /// request, the events decoded once for the rules, each leaf hashed as
    /// far as the event's own members go) and submits it to the group
    /// commit; the writer completes it back on this loop.
    func startAppend(_ sequence: UInt64, _ id: JSONValue, _ command: AppendCommand) {
        if let primary = server.operations.primary {
            let error = WireError(
                .readOnly, "this server is a read-only replica; append to its primary \(primary.primary)",
                details: ["primary": .string(primary.primary)])
            return respond(sequence, server.refusal(id, error))
        }
        if let writer = Self.reservedStreams[command.agreementId] {
            let error = WireError(
                .forbidden, "the \(command.agreementId) stream is written by \(writer) only", details: ["field": "agreementId"])
            return respond(sequence, server.refusal(id, error))
        }
        submit(sequence, id, op: "append") {
            let events = command.events.map { event in
                NewEvent(
                    eventId: event.eventId, type: event.type, data: CanonicalJSON(object: event.data),
                    metadata: event.metadata.isEmpty ? .emptyObject : CanonicalJSON(object: event.metadata), occurredAt: event.occurredAt)
            }
            return try server.store.prepare(
                to: command.agreementId, expected: command.expected, events: events, principal: principal,
                parsed: command.events.map(\.data))
        }
    }

    /// `audit_read` (a replica's): records its client's read in `$audit`
    /// here, appended by the replica's principal, and answers as `append`
    /// does (the replica waits until it has copied that position).
    func startAuditRead(_ sequence: UInt64, _ id: JSONValue, _ read: AuditedReadRequest) {
        if let primary = server.operations.primary {
            let error = WireError(.readOnly, "this server is itself a replica; audited reads are recorded on \(primary.primary)")
            return respond(sequence, server.refusal(id, error))
        }
        submit(sequence, id, op: "audit_read") { try server.audit.prepare(read, recordedBy: principal) }
    }

    /// Takes a place among the appends waiting for their commit (or answers
    /// `overloaded`), prepares the append here, and queues it for this
    /// loop's turn; the writer completes it back on this loop.
    private func submit(_ sequence: UInt64, _ id: JSONValue, op: String, _ prepare: () throws -> PreparedAppend) {
        let gate = server.appendGate
        guard gate.tryEnter() else {
            let error = WireError(.overloaded, "the server has \(gate.limit) appends waiting for their commit, its limit; retry shortly")
            return respond(sequence, server.refusal(id, error))
        }
        let prepared: PreparedAppend
        do {
            prepared = try prepare()
        } catch {
            gate.leave()
            return respond(sequence, server.failure(id, op: op, error))
        }
        appendsInFlight += 1
        let started = ContinuousClock.now
        let bound = bound!
        loop.enqueue(prepared) { result in

            bound.value.appendFinished(sequence, id, result, started: started)
        }
    }

    private func appendFinished(
        _ sequence: UInt64, _ id: JSONValue, _ result: Result<AppendResult, any Error>, started: ContinuousClock.Instant
    ) {
        appendsInFlight -= 1
        server.appendGate.leave()
        switch result {
        case .success(let appended):
            server.metrics.appended(events: appended.wasDuplicate ? 0 : appended.positions.count, since: started)
            respond(sequence, appended.responseLine(id: id))
        case .failure(let error):
            respond(sequence, server.failure(id, op: "append", error))
        }
        startWaiting()
    }
}
