import AccordJSON
import EventStore
import WireProtocol

extension ConnectionHandler {
    /// Records that this connection's principal read `records`, then calls
    /// `then` on this connection's loop with the outcome; returns `false`
    /// (and never calls `then`) when there is nothing to record (no records,
    /// or a replica's read), or when an identical earlier read's record
    /// covers this one (`AuditLedger`).
    ///
    /// A primary appends the `AuditedRead` itself; a replica has its
    /// primary record it and waits for it to come back through replication
    /// (`PrimaryLink`). Either way the details leave only after the record
    /// is durable. `then` runs even if the connection closed meanwhile (the
    /// record stands); whoever it calls drops what it would have written.
    func recordAudit(
        _ records: [ReadAudit.Record], op: String, requestId: JSONValue,
        then: @escaping @Sendable (ConnectionHandler, Result<Void, any Error>) -> Void
    ) throws -> Bool {
        // A replica's copy is storage, not a person reading: auditing it would
        // also feed the audit records back into the copy without end.
        guard !records.isEmpty, role != .replica else { return false }
        let (bound, onLoop) = (bound, onLoop)
        let read = AuditedReadRequest(principal: principal, op: op, requestId: requestId, records: records)
        if let primary = server.operations.primary {
            primary.recordAuditedRead(read) { result in onLoop { then($0, result) } }
            return true
        }
        // A superseded primary records nothing, so it discloses nothing (fail closed).
        if let refusal = server.operations.fence.refusal { throw refusal }
        let ledger = server.auditLedger
        if ledger.cover(read) != nil { return false }
        let recordedBy = principal
        loop.enqueue(try server.audit.prepare(read, recordedBy: recordedBy, repeatsUntil: ledger.windowEnd())) { result in
            if case .success(let appended) = result, let position = appended.positions.first {
                ledger.recorded(read, recordedBy: recordedBy, at: position)
            }
            then(bound.value, result.map { _ in })
        }
        return true
    }
}
