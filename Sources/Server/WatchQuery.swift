import AccordCore
import AccordJSON
import Agreements
import EventStore
import LMDB
import Merkle
import Registry
import WireProtocol

/// What a watch reads: the projections' rows now (or those changed since a
/// position), and the rows changed by the events since a position, each from
/// one read snapshot, so a pushed row is exactly the row as of the snapshot,
/// tagged with the position of the event that last changed it.
struct WatchQuery: Sendable {
    let name: String
    let store: EventStore
    let registry: Registry
    let command: WatchCommand
    let on: CalendarDate
    /// Rows and steps shared with every other watch.
    let cache: WatchCache

    /// The answer's members (`position`, `rows`, and with `progress` the
    /// mark's `root` and `recordedAt`) and the position they reflect.
    func snapshot() throws -> (members: [String: JSONValue], position: Position) {
        try store.read { txn in
            let position = try registry.storedState(in: txn).position
            var groups: [[JSONValue]]
            if let since = command.since {
                try Operations.notPastHead(since, member: "since", head: position)
                groups = command.projections.map { _ in [] }
                for change in try changed(since: since, reached: position, in: txn) {
                    groups[change.projection].append(try JSONParser.parse(change.row.json))
                }
            } else {
                groups = try command.projections.map { try rows(of: $0, in: txn) }
            }
            var members: [String: JSONValue] = ["watch": .string(name), "position": .integer(Int64(position))]
            members["rows"] =
                command.tagged
                ? .object(JSONObject(Dictionary(uniqueKeysWithValues: zip(command.projections.map(\.name), groups.map(JSONValue.array)))))
                : .array(groups[0])
            if command.progress {
                let mark = try mark(at: position, in: txn)
                if let root = mark.root { members["root"] = .string(root.base64) }
                if let recordedAt = mark.recordedAt { members["recordedAt"] = .string(recordedAt.rfc3339) }
            }
            return (members, position)
        }
    }

    /// The pushed lines for rows changed by events from `start` (and with
    /// `progress`, the line marking the position reached), and that position.
    func changes(since start: Position) throws -> (lines: [UInt8], reached: Position) {
        try store.read { txn in
            let reached = try registry.storedState(in: txn).position
            var writer = JSONWriter(capacity: 512)
            for change in try changed(since: start, reached: reached, in: txn) {
                let tag = command.tagged ? command.projections[change.projection].name : nil
                Push.row(watch: name, position: change.position, projection: tag, json: change.row.json, into: &writer)
            }
            if command.progress, reached > start {
                let mark = try mark(at: reached, in: txn)
                Push.progress(watch: name, position: reached, root: mark.root?.base64, recordedAt: mark.recordedAt, into: &writer)
            }
            return (writer.bytes, reached)
        }
    }

    private func rows(of projection: WatchCommand.Projection, in txn: borrowing Transaction) throws -> [JSONValue] {
        switch projection {
        case .register: try registry.register(on: on, in: txn).map(encode)
        case .recipient(let recipientId):
            try registry.agreements(ofRecipient: recipientId, in: txn).map { try encode(RegisterRow($0, on: on)) }
        case .statistics: try registry.statistics(in: txn).sortedRows.map(encode)
        }
    }

    /// Every row changed by events in `start..<reached`, once each, in the
    /// order of the events that last changed them: what every watch of the
    /// same projections and date shares for those positions.
    private func changed(since start: Position, reached: Position, in txn: borrowing Transaction) throws -> [WatchCache.Change] {
        let key = WatchCache.StepKey(start: start, reached: reached, on: on, projections: command.projections)
        return try cache.steps.value(key) { try scanChanges(since: start, reached: reached, in: txn) } ?? []
    }

    private func scanChanges(since start: Position, reached: Position, in txn: borrowing Transaction) throws -> [WatchCache.Change] {
        let statisticsIndex = command.projections.firstIndex(of: .statistics)
        let agreementsIndex = command.projections.firstIndex { $0 != .statistics }
        var agreements: [String: Position] = [:]
        var statistics: [LawEnforcementStatistics.Key: Position] = [:]
        try store.log.scanRecords(from: start, in: txn) { record in
            guard record.position < reached else { return false }
            guard !record.isInSystemStream else { return true }
            if statisticsIndex != nil, record.hasType("LawEnforcementAccessRecorded") {
                let access = try record.withData { data throws(AgreementError) in try AccessSummary(canonical: data) }
                for key in LawEnforcementStatistics.keys(for: access) { statistics[key] = record.position }
            }
            if agreementsIndex != nil { agreements[record.streamName] = record.position }
            return true
        }
        var changes: [WatchCache.Change] = []
        if let index = agreementsIndex {
            for (agreementId, position) in agreements {
                let row = try cache.rows.value(.agreement(agreementId, position: position, on: on)) {
                    try registry.agreement(agreementId, in: txn).map {
                        WatchCache.Row(recipientId: $0.recipient.id, json: try JSONValueEncoder().canonicalBytes(RegisterRow($0, on: on)))
                    }
                }
                guard let row else { continue }
                if case .recipient(let recipientId) = command.projections[index], row.recipientId != recipientId { continue }
                changes.append(WatchCache.Change(projection: index, position: position, row: row))
            }
        }
        if let index = statisticsIndex, !statistics.isEmpty {
            var all: LawEnforcementStatistics?
            for (key, position) in statistics {
                let row = try cache.rows.value(.statistics(key, position: position)) {
                    if all == nil { all = try registry.statistics(in: txn) }
                    return try all?[key].map { WatchCache.Row(recipientId: nil, json: try JSONValueEncoder().canonicalBytes($0)) }
                }
                if let row { changes.append(WatchCache.Change(projection: index, position: position, row: row)) }
            }
        }
        // Rows changed by one event (a request's month and quarter) in the order of their JSON.
        return changes.sorted {
            ($0.position, $0.projection) < ($1.position, $1.projection)
                || ($0.position, $0.projection) == ($1.position, $1.projection) && $0.row.json.lexicographicallyPrecedes($1.row.json)
        }
    }

    /// The log's root at `position` (when it keeps a tree) and the time the event before it was recorded.
    private func mark(at position: Position, in txn: borrowing Transaction) throws -> (root: TreeHash?, recordedAt: Timestamp?) {
        guard position > 0 else { return (nil, nil) }
        let root = store.hasMerkleTree ? try store.log.root(size: position, in: txn) : nil
        var recordedAt: Timestamp?
        try store.log.scanRecords(from: position - 1, in: txn) { record in
            recordedAt = record.recordedAt
            return false
        }
        return (root, recordedAt)
    }

    private func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }
}
