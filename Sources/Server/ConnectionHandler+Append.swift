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
    func startAppend(_ ticket: Ticket, _ command: AppendCommand) {
        let id = ticket.request.id
        if let primary = server.operations.primary {
            let error = WireError(
                .readOnly, "this server is a read-only replica; append to its primary \(primary.primary)",
                details: ["primary": .string(primary.primary)])
            return finish(ticket, server.refusal(id, error))
        }
        if let writer = Self.reservedStreams[command.agreementId] {
            let error = WireError(
                .forbidden, "the \(command.agreementId) stream is written by \(writer) only", details: ["field": "agreementId"])
            return finish(ticket, server.refusal(id, error))
        }
        submit(ticket, op: "append") {
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
    func startAuditRead(_ ticket: Ticket, _ read: AuditedReadRequest) {
        if let primary = server.operations.primary {
            let error = WireError(.readOnly, "this server is itself a replica; audited reads are recorded on \(primary.primary)")
            return finish(ticket, server.refusal(ticket.request.id, error))
        }
        submit(ticket, op: "audit_read") { try server.audit.prepare(read, recordedBy: principal) }
    }

    /// Takes a place among the appends waiting for their commit (or answers
    /// `overloaded`), prepares the append here, and queues it for this
    /// loop's turn; the writer completes it back on this loop.
    private func submit(_ ticket: Ticket, op: String, _ prepare: () throws -> PreparedAppend) {
        let id = ticket.request.id
        let gate = server.appendGate
        guard gate.tryEnter() else {
            let error = WireError(.overloaded, "the server has \(gate.limit) appends waiting for their commit, its limit; retry shortly")
            return finish(ticket, server.refusal(id, error))
        }
        let prepared: PreparedAppend
        do {
            prepared = try prepare()
        } catch {
            gate.leave()
            return finish(ticket, server.failure(id, op: op, error))
        }
        let started = ContinuousClock.now
        let bound = bound
        loop.enqueue(prepared) { result in
            bound.value.appendFinished(ticket, result, started: started)
        }
    }

    /// The commit's outcome; it stands whether or not the connection is still there to be told.
    private func appendFinished(_ ticket: Ticket, _ result: Result<AppendResult, any Error>, started: ContinuousClock.Instant) {
        server.appendGate.leave()
        switch result {
        case .success(let appended):
            server.metrics.appended(events: appended.wasDuplicate ? 0 : appended.positions.count, since: started)
            finish(ticket, appended.responseLine(id: ticket.request.id))
        case .failure(let error):
            finish(ticket, server.failure(ticket.request.id, op: "append", error))
        }
    }
}
