import AccordCore
import AccordJSON
import Agreements
import EventStore
import Foundation
import Registry
import Transparency
import WireProtocol

/// Answers decoded requests against the log and the registry: reads from a
/// snapshot, never writes (appends go through the connection's commit path),
/// no I/O beyond LMDB. Each answer is the response line and the
/// law-enforcement records it discloses (audited before it is sent).
struct Operations: Sendable {
    let store: EventStore
    let registry: Registry
    let checkpoints: any CheckpointSource
    /// Set on a replica: the primary it copies, and how far behind it is.
    let primary: (any PrimaryLink)?
    /// Today's date for `on` when a query does not give one (read at query time, never stored).
    let today: @Sendable () -> CalendarDate
    /// What is known to be damaged in the store.
    let damage: StoreDamage
    /// This server's epoch, and whether a newer primary superseded it.
    let fence: Fence

    /// Where answering runs: `nil` on the event loop (cheap, bounded work),
    /// else a blocking-pool lane: `fold` when it replays history (its cost
    /// follows the log's length), `query` when its cost follows the
    /// register's size or a page of the log. Never on a loop that every
    /// connection on it shares.
    static func lane(_ command: Command) -> BackgroundWork.Lane? {
        switch command {
        case .ping, .hello, .health, .proveInclusion, .proveConsistency, .positionAt, .gateways, .append, .subscribe,
            .unsubscribe, .unwatch, .connections, .disconnect, .auditRead:
            nil
        case .watch: .query
        case .agreement(let query): query.history.replays ? .fold : (query.includeEvents ? .query : nil)
        case .lawEnforcementStats(let query): query.history.replays ? .fold : nil
        case .register(let query): query.history.replays ? .fold : .query
        case .recipient(let query): query.history.replays ? .fold : .query
        case .export(let query): query.history.replays ? .fold : .query
        case .read, .readAll, .readRecords: .query
        case .check, .rebuild: .fold
        case .fence: nil
        case .checkpoint(let size): size == nil ? nil : .query
        case .publishEdition: .query
        }
    }

    /// The answer to a query (not `append`, `hello`, or a stream operation).
    func answer(_ request: Request, role: Role?, principal: String) throws -> Answer {
        let id = request.id
        switch request.command {
        case .ping:
            var line = JSONWriter(capacity: 64)
            Response.writePing(id, head: store.durableHead, into: &line)
            return Answer(line.bytes)
        case .read(let command): return try read(command, id: id)
        case .readAll(let command): return try readAll(command, id: id)
        case .register(let query): return Answer(Response.ok(id, try register(query)))
        case .agreement(let query):
            let (result, disclosed) = try agreement(query)
            if case .recipient(let recipientId)? = role, result["agreement"]?["recipient"]?["id"] != .string(recipientId) {
                throw WireError(.forbidden, "\(principal) (recipient) may see its own agreements only")
            }
            return Answer(Response.ok(id, result), disclosing: disclosed)
        case .recipient(let query):
            let (result, disclosed) = try recipient(query)
            return Answer(Response.ok(id, result), disclosing: disclosed)
        case .lawEnforcementStats(let query): return Answer(Response.ok(id, try statistics(query)))
        case .export(let query): return Answer(Response.ok(id, try export(query)))
        case .health: return Answer(Response.ok(id, try health()))
        case .positionAt(let time): return Answer(Response.ok(id, try positionAt(time)))
        case .checkpoint(let size): return Answer(Response.ok(id, try checkpoint(size: size)))
        case .proveInclusion(let position, let treeSize): return Answer(Response.ok(id, try proveInclusion(position, treeSize: treeSize)))
        case .proveConsistency(let oldSize, let newSize): return Answer(Response.ok(id, try proveConsistency(oldSize, newSize: newSize)))
        case .gateways: return Answer(Response.ok(id, try gateways()))
        case .readRecords(let from, let limit, let maxBytes):
            // Without tokens no role was granted (`role` is nil): a replica is told from no one, and is not audited.
            return try readRecords(from: from, limit: limit, maxBytes: maxBytes, id: id, audited: role == .admin)
        case .check: return Answer(Response.ok(id, try check()))
        case .rebuild: return Answer(Response.ok(id, try rebuild()))
        case .fence(let epoch, let primary, let reason):
            return Answer(Response.ok(id, try fence(epoch: epoch, primary: primary, reason: reason)))
        case .hello, .append, .subscribe, .unsubscribe, .watch, .unwatch, .connections, .disconnect, .auditRead, .publishEdition:
            throw WireError(.internal, "\(request.command.op) is not a query")
        }
    }

    /// A page of events (`read`, `read_all`) stops after the event that
    /// brings it to this many bytes, so an answer's size is bounded whatever
    /// the events' sizes; `next` says where to continue.
    static let maxPageBytes = 1 << 20

    func read(_ command: ReadCommand, id: JSONValue) throws -> Answer {
        let (events, version) = try store.read { txn in
            (
                try store.log.readStream(
                    command.agreementId, from: command.from, direction: command.direction.scan, limit: command.limit,
                    maxBytes: Self.maxPageBytes, in: txn),
                try store.log.streamVersion(command.agreementId, in: txn)
            )
        }
        let next: StreamVersion? =
            switch command.direction {
            case .forward: events.last.flatMap { last in version.flatMap { last.version < $0 ? last.version + 1 : nil } }
            case .backward: events.last.flatMap { $0.version > 0 ? $0.version - 1 : nil }
            }
        let members: [String: JSONValue] = [
            "streamVersion": version.map { .integer(Int64($0)) } ?? .null, "next": next.map { .integer(Int64($0)) } ?? .null,
        ]
        return Answer(Response.ok(id, members, events: "events", events), disclosing: ReadAudit.records(in: events))
    }

    func readAll(_ command: ReadAllCommand, id: JSONValue) throws -> Answer {
        let filter = EventFilter(command.selection, registry: registry)
        let head = store.head
        if let from = command.from { try Self.notPastHead(from, member: "from", head: head) }
        let direction = command.direction.scan
        let (events, next) = try store.read { txn in
            let found = try filter.collect(
                from: command.from, direction: direction, limit: command.limit, budget: command.limit * 64, log: store.log, in: txn)
            guard let last = found.last, !found.exhausted else { return (found.events, Position?.none) }
            return (found.events, direction == .forward ? last + 1 : (last > 0 ? last - 1 : nil))
        }
        return Answer(
            Response.ok(id, ["next": next.map { .integer(Int64($0)) } ?? .null, "head": .integer(Int64(head))], events: "events", events),
            disclosing: ReadAudit.records(in: events))
    }

    func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }
}

extension HistoryPoint {
    /// Whether answering replays the log up to a point in its history.
    var replays: Bool { self != .head }
}

extension Direction {
    /// The store's scan direction for this wire direction.
    var scan: ScanDirection {
        switch self {
        case .forward: .forward
        case .backward: .backward
        }
    }
}
