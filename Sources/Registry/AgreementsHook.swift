import Agreements
import EventStore
import LMDB
import Synchronization

/// Validates agreement events and updates the projections inside the log's
/// write transaction (see `AppendHook`): an invalid history cannot be written,
/// and the projections always equal the log.
struct AgreementsHook: AppendHook {
    let layout: RegistryLayout
    let rules: AgreementRules
    let cache = AgreementCache()
    /// Every rule is checked before the first write (`count` writes nothing;
    /// `apply` writes after deciding every event).
    let decidesBeforeWriting = true

    /// Decodes the events on the caller's task; the writer only decides.
    func prepare(_ events: [NewEvent], for stream: StreamName) throws -> (any Sendable)? {
        guard !stream.isSystem else { return nil }
        return try events.map { event throws(AgreementError) in try AgreementEvent(type: event.type, canonical: event.data) }
    }

    func didAppend(_ events: [RecordedEvent], prepared: (any Sendable)?, in txn: Transaction, log: LogReader) throws -> [UInt8]? {
        guard let first = events.first, !first.stream.isSystem else { return nil }
        let decoded = try (prepared as? [AgreementEvent])
            ?? events.map { event throws(AgreementError) in try AgreementEvent(type: event.type, canonical: event.data) }
        let id = first.stream.rawValue
        if events.count == 1, case .lawEnforcementAccess(let access) = decoded[0],
           let box = cache.box(id, atVersion: first.version &- 1) {
            return try count(access, recorded: first, in: box, in: txn)
        }
        return try apply(zip(events, decoded), to: id, firstVersion: first.version, in: txn)
    }

    /// The commonest request, one law-enforcement request under an agreement
    /// the cache holds: decided and counted in place, without copying the agreement.
    private func count(_ access: LawEnforcementAccessRecorded, recorded: RecordedEvent, in box: AgreementBox, in txn: Transaction) throws -> [UInt8] {
        try rules.decide(.lawEnforcementAccess(access), id: box.value.id, state: box.value)
        let summary = access.summary
        var rows: [(LawEnforcementStatistics.Key, LawEnforcementStatistics.Row)] = []
        for key in LawEnforcementStatistics.keys(for: summary) {
            var row = try cache.statisticsRow(key) ?? layout.statisticsRow(key, in: txn)
                ?? LawEnforcementStatistics.Row(periodKind: key.periodKind, period: key.period, requesterType: key.requesterType)
            row.record(summary)
            rows.append((key, row))
        }
        // Only now, with every write done, touch the cached state.
        box.value.recordAccess(summary, version: recorded.version, position: recorded.position)
        for (key, row) in rows { cache.store(row, at: key) }
        return CountsSummary.bytes(box.value.lawEnforcement)
    }

    /// Decides and folds the events; returns the stream's new counters summary.
    private func apply(_ events: Zip2Sequence<[RecordedEvent], [AgreementEvent]>, to id: String, firstVersion: StreamVersion, in txn: Transaction) throws -> [UInt8]? {
        let before = try state(of: id, before: firstVersion, in: txn)
        var state = before
        var lifecycle = false
        var statistics: [LawEnforcementStatistics.Key: LawEnforcementStatistics.Row] = [:]
        for (recorded, event) in events {
            try rules.decide(event, id: id, state: state)
            guard case .lawEnforcementAccess(let access) = event else {
                state = Agreement.evolve(state, event, id: id, context: EventContext(recorded))
                lifecycle = true
                continue
            }
            // Most events: count in place rather than copy the agreement through `evolve`.
            let summary = access.summary
            state?.recordAccess(summary, version: recorded.version, position: recorded.position)
            for key in LawEnforcementStatistics.keys(for: summary) {
                var row = try statistics[key] ?? cache.statisticsRow(key) ?? layout.statisticsRow(key, in: txn)
                    ?? LawEnforcementStatistics.Row(periodKind: key.periodKind, period: key.period, requesterType: key.requesterType)
                row.record(summary)
                statistics[key] = row
            }
        }
        guard let state else { return nil }
        if lifecycle {
            try layout.put(state, in: txn)
            try layout.indexEnd(of: state, replacing: before?.endDate, in: txn)
        }
        if before == nil {
            try txn.put(layout.recipientAgreements, RegistryLayout.indexKey(state.recipient.id, id), 0)
        }
        cache.store(state)
        for (key, row) in statistics { cache.store(row, at: key) }
        return CountsSummary.bytes(state.lawEnforcement)
    }

    /// The agreement as it stood before the event with stream version `version`.
    private func state(of id: String, before version: StreamVersion, in txn: Transaction) throws -> Agreement? {
        guard version > 0 else { return nil }
        if let cached = cache.agreement(id, atVersion: version - 1) { return cached }
        return try layout.agreement(id, in: txn)
    }

    /// Writes the statistics rows this batch changed, once each, and the
    /// projections' position.
    func willCommit(head: Position, in txn: Transaction, log: LogReader) throws {
        for (key, row) in cache.takeChangedRows() { try layout.put(row, at: key, in: txn) }
        try txn.put(layout.meta, "position", head)
    }

    func rollback() {
        cache.removeAll()
    }
}

/// Decoded agreements and statistics rows, so that the writer does not read
/// and decode them for each event.
///
/// Filled only after a request's writes all succeeded. An agreement is used
/// only when its version is exactly the one the log says precedes the new
/// events; `rollback()` empties everything when a transaction the entries
/// came from is undone (the store reports every such rollback, and fails the
/// whole batch for any storage error after a hook has run). Touched only by
/// the group-commit thread.
final class AgreementCache: @unchecked Sendable {
    /// Statistics rows as requests that succeeded left them. Never evicted:
    /// there are only a few per month, and rows changed in the current batch
    /// are written from here when it commits.
    private var rows: [LawEnforcementStatistics.Key: LawEnforcementStatistics.Row] = [:]
    private var changedRows: Set<LawEnforcementStatistics.Key> = []

    func statisticsRow(_ key: LawEnforcementStatistics.Key) -> LawEnforcementStatistics.Row? { rows[key] }

    func store(_ row: LawEnforcementStatistics.Row, at key: LawEnforcementStatistics.Key) {
        rows[key] = row
        changedRows.insert(key)
    }

    /// The rows changed since the last call, for writing at commit.
    func takeChangedRows() -> [(LawEnforcementStatistics.Key, LawEnforcementStatistics.Row)] {
        defer { changedRows.removeAll(keepingCapacity: true) }
        return changedRows.compactMap { key in rows[key].map { (key, $0) } }
    }
    /// Agreements in two generations: lookups search the young one, then
    /// the old one (moving a hit back to the young); when the young one is
    /// full it becomes the old one and the previous old one is dropped. So
    /// the agreements being worked on stay, memory is bounded by
    /// `2 × generationSize` agreements (about 12 MB at the default), and no bookkeeping is
    /// done per hit.
    private var young: [String: AgreementBox] = [:]
    private var old: [String: AgreementBox] = [:]
    private let generationSize: Int
    /// For metrics, read from other threads: agreements held, and how many
    /// were ever dropped (once any are, the cache has reached its bound).
    private let held = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)

    /// Agreements held now, at most `capacity`, and agreements dropped so far.
    var occupancy: (held: Int, capacity: Int, dropped: Int) {
        (held.load(ordering: .relaxed), 2 * generationSize, dropped.load(ordering: .relaxed))
    }

    init(generationSize: Int = 4_096) {
        self.generationSize = generationSize
    }

    func agreement(_ id: String, atVersion version: UInt64) -> Agreement? {
        box(id, atVersion: version)?.value
    }

    /// The cached agreement itself, to update in place.
    func box(_ id: String, atVersion version: UInt64) -> AgreementBox? {
        guard let entry = entry(id), entry.value.version == version else { return nil }
        return entry
    }

    func store(_ agreement: Agreement) {
        if let box = entry(agreement.id) {
            box.value = agreement
        } else {
            insert(AgreementBox(agreement), as: agreement.id)
        }
    }

    private func entry(_ id: String) -> AgreementBox? {
        if let box = young[id] { return box }
        guard let box = old.removeValue(forKey: id) else { return nil }
        insert(box, as: id)
        return box
    }

    private func insert(_ box: AgreementBox, as id: String) {
        if young.count >= generationSize {
            dropped.add(old.count, ordering: .relaxed)
            old = young
            young = Dictionary(minimumCapacity: generationSize)
        }
        young[id] = box
        held.store(young.count + old.count, ordering: .relaxed)
    }

    func removeAll() {
        young.removeAll(keepingCapacity: true)
        old.removeAll()
        held.store(0, ordering: .relaxed)
        rows.removeAll(keepingCapacity: true)
        changedRows.removeAll(keepingCapacity: true)
    }
}

/// A cached agreement, updated in place by the writer.
final class AgreementBox {
    var value: Agreement

    init(_ value: Agreement) { self.value = value }
}
