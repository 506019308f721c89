import AccordCore
import AccordJSON
import EventStore
import WireProtocol

/// Pushes the log to one client from a position: catch-up from the log, one
/// `caught_up` line, then live events; never a gap or a duplicate.
///
/// Memory is bounded by one chunk of events: when the client reads slowly,
/// writes wait, the subscription stops reading the log, and it resumes from
/// its next position later (the log is the buffer). A chunk holding
/// law-enforcement records is pushed only after its `AuditedRead` is durable;
/// if that fails the subscription ends.
struct Subscription: Sendable {
    let id: String
    let store: EventStore
    let filter: EventFilter
    let from: Position
    let chunk: Int
    let control: PusherControl
    /// Pushed law-enforcement records are audited first, as `principal`'s reads.
    let audit: ReadAudit
    let principal: String

    func run(_ output: Output) async {
        var caughtUp = false
        await control.run(
            from: from, head: { store.head }, output: output,
            closed: Response.line(["sub": .string(id), "closed": "shutting_down"]),
            step: { next in
                let (events, resume) = try readChunk(from: next)
                try await audit.record(ReadAudit.records(in: events), op: "subscribe", requestId: .string(id), principal: principal)
                var writer = JSONWriter(capacity: events.count * 600)
                for event in events { Response.event(sub: id, event, into: &writer) }
                return (writer.bytes, resume)
            },
            level: { next in
                guard !caughtUp else { return nil }
                caughtUp = true
                return Response.line(["sub": .string(id), "caught_up": .integer(Int64(next))])
            })
    }

    /// Up to `chunk` matching events from `next`, and where to resume.
    private func readChunk(from next: Position) throws -> ([RecordedEvent], Position) {
        try store.read { txn in
            let found = try filter.collect(from: next, limit: chunk, budget: chunk * 16, log: store.log, in: txn)
            // At the end of the log (a type filter may reach it without visiting
            // an event) resume from the head; else after the last event seen.
            let resume = found.exhausted ? try store.log.head(in: txn) : found.last.map { $0 + 1 } ?? next
            return (found.events, max(resume, next))
        }
    }
}
