import AccordCore
import AccordJSON
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

    /// Decodes the events on the caller's thread, from the members the
    /// caller parsed when it has them; the writer only decides.
    func prepare(_ events: [NewEvent], parsed: [JSONObject]?, for stream: StreamName) throws -> (any Sendable)? {
        guard !stream.isSystem else { return nil }
        guard let parsed, parsed.count == events.count else {
            return try events.map { event throws(AgreementError) in try AgreementEvent(validating: event.type, canonical: event.data) }
        }
        return try zip(events, parsed).map { event, data throws(AgreementError) in
            // The commonest event has a decoder of its own over the canonical bytes, several times cheaper than
            // `Decodable` over the parsed members (a fuzz target checks that the two agree).
            event.type == "LawEnforcementAccessRecorded"
                ? try AgreementEvent(validating: event.type, canonical: event.data)
                : try AgreementEvent(type: event.type, data: .object(data))
        }
    }

    func didAppend(_ events: [RecordedEvent], prepared: (any Sendable)?, in txn: borrowing Transaction, log: LogReader) throws -> [UInt8]? {
        guard let first = events.first, !first.stream.isSystem else { return nil }
        let decoded =
            try (prepared as? [AgreementEvent])
            ?? events.map { event throws(AgreementError) in try AgreementEvent(type: event.type, canonical: event.data) }
        let id = first.stream.rawValue
        if events.count == 1, case .lawEnforcementAccess(let access) = decoded[0],
            let box = cache.box(id, atVersion: first.version &- 1)
        {
            return try count(access, recorded: first, in: box, in: txn)
        }
        return try apply(zip(events, decoded), to: id, firstVersion: first.version, in: txn)
    }

    /// The commonest request, one law-enforcement request under an agreement
    /// the cache holds: decided and counted in place, without copying the agreement.
    private func count(
        _ access: LawEnforcementAccessRecorded, recorded: RecordedEvent, in box: AgreementBox, in txn: borrowing Transaction
    ) throws -> [UInt8] {
        try rules.decide(.lawEnforcementAccess(access), id: box.value.id, state: box.value)
        let summary = access.summary
        var rows: [(LawEnforcementStatistics.Key, LawEnforcementStatistics.Row)] = []
        for key in LawEnforcementStatistics.keys(for: summary) {
            var row =
                try cache.statisticsRow(key) ?? layout.statisticsRow(key, in: txn)
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
    private func apply(
        _ events: Zip2Sequence<[RecordedEvent], [AgreementEvent]>, to id: String, firstVersion: StreamVersion, in txn: borrowing Transaction
    ) throws -> [UInt8]? {
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
                var row =
                    try statistics[key] ?? cache.statisticsRow(key) ?? layout.statisticsRow(key, in: txn)
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
    private func state(of id: String, before version: StreamVersion, in txn: borrowing Transaction) throws -> Agreement? {
        guard version > 0 else { return nil }
        if let cached = cache.agreement(id, atVersion: version - 1) { return cached }
        return try layout.agreement(id, in: txn)
    }

    /// Writes the statistics rows this batch changed, once each. (The
    /// projections' position is the store's `hookHead`, written with the commit.)
    func willCommit(head: Position, in txn: borrowing Transaction, log: LogReader) throws {
        for (key, row) in cache.takeChangedRows() { try layout.put(row, at: key, in: txn) }
    }

    func rollback() {
        cache.removeAll()
    }
}
