import AccordCore
import AccordJSON
import EventStore
import WireProtocol

/// Pushes the log to one client from a position: catch-up from the log, one
/// `caught_up` line, then live events; never a gap or a duplicate.
///
/// Each step writes one chunk of events: level with the head, the newest
/// events its loop read once for every subscription (`LiveEvents`);
/// behind, events it reads from the log itself. A step happens when a
/// commit moves the head, when the socket drains, and after each step
/// while behind (a few steps at a time, so other connections on the loop
/// get their turn). Memory is bounded by one chunk: while the
/// socket is full the stream reads nothing; the log is the buffer. A chunk
/// holding law-enforcement records is pushed only once its `AuditedRead` is
/// durable; if that fails the subscription ends.
final class SubscriptionStream: PushStream {
    /// A chunk's push lines, the law-enforcement records among them, and where the subscription resumes.
    typealias PushChunk = (lines: [UInt8], disclosed: [ReadAudit.Record], resume: Position)

    let name: String
    let startedBy: UInt64
    private let filter: EventFilter
    private let chunk: Int
    private var next: Position
    private var caughtUp = false
    /// A chunk waits for its audit record.
    private var auditing = false
    private var stopped = false
    /// Steps taken before yielding the loop to other connections.
    private static let stepsPerTurn = 4

    init(name: String, startedBy: UInt64, from: Position, filter: EventFilter, chunk: Int) {
        self.name = name
        self.startedBy = startedBy
        self.next = from
        self.filter = filter
        self.chunk = chunk
    }

    func pump(_ connection: ConnectionHandler) {
        let store = connection.server.store
        var steps = 0
        while !stopped, !auditing, connection.isWritable {
            let head = store.head
            guard next < head else {
                if !caughtUp {
                    caughtUp = true
                    connection.write(Push.caughtUp(sub: name, position: next))
                }
                return
            }
            guard steps < Self.stepsPerTurn else { return connection.pumpLater() }
            steps += 1
            connection.server.metrics.subscriptionLag.record(Int64(head - next))
            do {
                let (lines, disclosed, resume) = try nextLines(from: next, on: connection)
                next = resume
                try push(lines, disclosing: disclosed, on: connection)
            } catch {
                connection.logger.warning("a subscription ended", metadata: ["sub": "\(name)", "error": "\(error)"])
                return connection.endStream(name, because: error)
            }
        }
    }

    func stop(_ connection: ConnectionHandler, announceShutdown: Bool) {
        stopped = true
        if announceShutdown { connection.write(Push.closed(sub: name)) }
    }

    /// The next chunk's lines, the law-enforcement records among them, and
    /// where to resume: from the loop's newest events when level with them,
    /// else from the log.
    private func nextLines(from next: Position, on connection: ConnectionHandler) throws -> PushChunk {
        let metrics = connection.server.metrics
        if let shared = try connection.loop.live.lines(sub: name, filter: filter, from: next) {
            metrics.pushedShared.increment(by: Int64(shared.resume - next))
            return shared
        }
        let store = connection.server.store
        let read = try filter.passesEverything ? readAll(store, from: next) : read(store, from: next)
        metrics.pushedFromLog.increment(by: Int64(read.resume - next))
        return read
    }

    /// Up to `chunk` matching events from `next` as push lines, the
    /// law-enforcement records among them, and where to resume.
    private func read(_ store: EventStore, from next: Position) throws -> PushChunk {
        let (events, resume) = try store.read { txn in
            let found = try filter.collect(from: next, limit: chunk, budget: chunk * 16, log: store.log, in: txn)
            // At the end of the log (a type filter may reach it without visiting
            // an event) resume from the head; else after the last event seen.
            let resume = found.exhausted ? try store.log.head(in: txn) : found.last.map { $0 + 1 } ?? next
            return (found.events, max(resume, next))
        }
        var writer = JSONWriter(capacity: events.count * 600)
        for event in events { Push.event(sub: name, event, into: &writer) }
        return (writer.bytes, ReadAudit.records(in: events), resume)
    }

    /// The same for a subscription without a filter (a replica's, `accord
    /// tail`): each line written from the stored record's bytes, never
    /// decoded into an event and encoded again.
    private func readAll(_ store: EventStore, from next: Position) throws -> PushChunk {
        try store.read { txn in
            var writer = JSONWriter(capacity: chunk * 600)
            var disclosed: [ReadAudit.Record] = []
            var resume = next
            var count = 0
            try store.log.scanRecords(from: next, in: txn) { record in
                guard count < chunk, writer.bytes.count < Operations.maxPageBytes else { return false }
                Push.event(sub: name, into: &writer) { record.writeJSON(into: &$0) }
                if let audited = ReadAudit.record(record) { disclosed.append(audited) }
                resume = record.position + 1
                count += 1
                return true
            }
            return (writer.bytes, disclosed, resume)
        }
    }

    private func push(_ lines: [UInt8], disclosing disclosed: [ReadAudit.Record], on connection: ConnectionHandler) throws {
        guard !lines.isEmpty else { return }
        let name = name
        auditing = try connection.recordAudit(disclosed, op: "subscribe", requestId: .string(name)) { connection, result in
            (connection.streams[name] as? SubscriptionStream)?.audited(result, lines: lines, on: connection)
        }
        if !auditing { connection.write(lines) }
    }

    /// The chunk's audit record is durable (or failed): push it, or end.
    private func audited(_ result: Result<Void, any Error>, lines: [UInt8], on connection: ConnectionHandler) {
        auditing = false
        guard !stopped else { return }
        switch result {
        case .success:
            connection.write(lines)
            pump(connection)
        case .failure(let error):
            connection.logger.warning("a subscription ended: its audit record failed", metadata: ["sub": "\(name)", "error": "\(error)"])
            connection.endStream(name, because: error)
        }
    }
}
