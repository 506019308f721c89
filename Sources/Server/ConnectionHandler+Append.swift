import AccordCore
import AccordJSON
import EventStore
import Transparency
import WireProtocol

extension ConnectionHandler {
    /// Streams no client may append to, not even an admin, and who writes
    /// them, by their names folded to lower case: `$Audit` is `$audit`.
    static let reservedStreams: [String: (stream: StreamName, writer: String)] = Dictionary(
        uniqueKeysWithValues: [
            (ReadAudit.stream, "the server"), (KeyChain.stream, "accord key rotate"), (ReplicaPromotion.stream, "accord promote"),
            (editionsStream, "accord publish (publish_edition)"),
        ].map { ($0.0.rawValue.lowercased(), $0) })

    /// Appends of more events than this are prepared on the blocking pool:
    /// canonicalising and hashing 1,000 events would hold the loop for milliseconds.
    static let prepareOnLoopUpTo = 16

    /// Prepares an append (its canonical bytes were written as the request
    /// was read, the events decoded once for the rules, each leaf hashed as
    /// far as the event's own members go) here, or on the blocking pool when
    /// it is large, and submits it to the group commit; the writer completes
    /// it back on this loop.
    func startAppend(_ ticket: Ticket, _ command: AppendCommand) {
        let id = ticket.id
        if let primary = server.operations.primary {
            let error = WireError(
                .readOnly, "this server is a read-only replica; append to its primary \(primary.primary)",
                details: ["primary": .string(primary.primary)])
            return finish(ticket, server.refusal(id, error))
        }
        if let refusal = server.operations.fence.refusal { return finish(ticket, server.refusal(id, refusal)) }
        // Every reserved name is a system name: only those are folded and looked up.
        let name = command.agreementId.rawValue
        if name.utf8.first == UInt8(ascii: "$"), let (stream, writer) = Self.reservedStreams[name.lowercased()] {
            let error = WireError(.forbidden, "the \(stream) stream is written by \(writer) only", details: ["field": "agreementId"])
            return finish(ticket, server.refusal(id, error))
        }
        let (store, principal) = (server.store, principal)
        submit(ticket, op: "append", onPool: command.events.count > Self.prepareOnLoopUpTo) {
            let events = command.events.map { event in
                NewEvent(
                    eventId: event.eventId, type: event.type, data: event.canonicalData, metadata: event.canonicalMetadata,
                    occurredAt: event.occurredAt)
            }
            return try store.prepare(to: command.agreementId, expected: command.expected, events: events, principal: principal)
        }
    }

    /// `audit_read` (a replica's): records its client's read in `$audit`
    /// here, appended by the replica's principal, and answers as `append`
    /// does (the replica waits until it has copied that position). A read an
    /// earlier identical one covers (`AuditLedger`) is answered with that
    /// record's position and `coalesced`.
    func startAuditRead(_ ticket: Ticket, _ read: AuditedReadRequest) {
        let id = ticket.id
        if let primary = server.operations.primary {
            let error = WireError(.readOnly, "this server is itself a replica; audited reads are recorded on \(primary.primary)")
            return finish(ticket, server.refusal(id, error))
        }
        if let refusal = server.operations.fence.refusal { return finish(ticket, server.refusal(id, refusal)) }
        let ledger = server.auditLedger
        if let covering = ledger.cover(read) {
            return finish(ticket, Response.ok(id, ["positions": [.integer(Int64(covering))], "coalesced": true]))
        }
        let (recordedBy, audit) = (principal, server.audit)
        submit(ticket, op: "audit_read") {
            try audit.prepare(read, recordedBy: recordedBy, repeatsUntil: ledger.windowEnd())
        } committed: { appended in
            if let position = appended.positions.first { ledger.recorded(read, recordedBy: recordedBy, at: position) }
        }
    }

    /// Takes a place among the appends waiting for their commit (or answers
    /// `overloaded`), prepares the append here (or on the pool), and queues
    /// it for this loop's turn; the writer completes it back on this loop.
    func submit(
        _ ticket: Ticket, op: String, onPool: Bool = false, _ prepare: @escaping @Sendable () throws -> PreparedAppend,
        committed: (@Sendable (AppendResult) -> Void)? = nil
    ) {
        let gate = server.appendGate
        guard gate.tryEnter() else {
            let error = WireError(.overloaded, "the server has \(gate.limit) appends waiting for their commit, its limit; retry shortly")
            return finish(ticket, server.refusal(ticket.id, error))
        }
        guard onPool else { return enqueue(ticket, op: op, Result(catching: prepare), committed: committed) }
        let onLoop = onLoop
        server.backgroundWork.submit(.query) {
            let prepared = Result(catching: prepare)
            onLoop { $0.enqueue(ticket, op: op, prepared, committed: committed) }
        }
    }

    private func enqueue(
        _ ticket: Ticket, op: String, _ result: Result<PreparedAppend, any Error>, committed: (@Sendable (AppendResult) -> Void)?
    ) {
        let prepared: PreparedAppend
        do {
            prepared = try result.get()
        } catch {
            server.appendGate.leave()
            return finish(ticket, server.failure(ticket.id, op: op, error))
        }
        let started = ContinuousClock.now
        let bound = bound
        loop.enqueue(prepared) { result in
            if case .success(let appended) = result { committed?(appended) }
            bound.value.appendFinished(ticket, result, started: started)
        }
    }

    /// The commit's outcome; it stands whether or not the connection is still there to be told.
    private func appendFinished(_ ticket: Ticket, _ result: Result<AppendResult, any Error>, started: ContinuousClock.Instant) {
        server.appendGate.leave()
        switch result {
        case .success(let appended):
            server.metrics.appended(events: appended.wasDuplicate ? 0 : appended.positions.count, since: started)
            finish(ticket) { appended.writeResponse(id: ticket.id, into: &$0) }
        case .failure(let error):
            finish(ticket, server.failure(ticket.id, op: "append", error))
        }
    }
}
