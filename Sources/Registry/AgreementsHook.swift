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

    /// Decodes the events on the caller's thread from their canonical
    /// bytes; the writer only decides.
    func prepare(_ events: [NewEvent], for stream: StreamName) throws -> (any Sendable)? {
        guard !stream.isSystem else {
            // An agreement's events mean something only in its own stream.
            if let (index, event) = events.enumerated().first(where: { AgreementEvent.typeNames.contains($0.element.type) }) {
                throw AgreementError.validationFailed(
                    "\(event.type) belongs in an agreement's stream; \(stream) is a system stream", field: "events[\(index)].type")
            }
            return nil
        }
        var decoded: [AgreementEvent] = []
        decoded.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            do {
                decoded.append(try AgreementEvent(validating: event.type, canonical: event.data))
            } catch {
                throw error.under("events[\(index)].data")
            }
        }
        return decoded
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
            if let damage = box.value.damage { throw AgreementError.damagedAgreement(id, damage) }
            return try count(access, recorded: first, in: box, in: txn)
        }
        return try apply(events, decoded: decoded, to: id, in: txn)
    }

    /// A replica's copy of what its primary stored: folded as a replay
    /// folds, never refused; an event this build cannot read marks its
    /// agreement damaged (and is logged by the next rebuild), as a fold would.
    func didCopy(_ events: [RecordedEvent], in txn: borrowing Transaction, log: LogReader) throws -> [UInt8]? {
        guard let first = events.first, !first.stream.isSystem else { return nil }
        return try apply(events, decoded: nil, to: first.stream.rawValue, in: txn)
    }

    /// The commonest request, one law-enforcement request under an agreement
    /// the cache holds: decided and counted in place, without copying the agreement.
    private func count(
        _ access: LawEnforcementAccessRecorded, recorded: RecordedEvent, in box: AgreementBox, in txn: borrowing Transaction
    ) throws -> [UInt8] {
        do {
            try rules.decide(.lawEnforcementAccess(access), id: box.value.id, state: box.value)
        } catch {
            throw error.under("events[0].data")
        }
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

    /// Decides (an append: `decoded` given) or trusts (a copy: decoded here,
    /// leniently) and folds the events; returns the stream's new counters
    /// summary. An append to a damaged agreement is refused; a copy's event
    /// that cannot be read marks the agreement damaged, and its later
    /// events only count in the statistics.
    private func apply(
        _ events: [RecordedEvent], decoded: [AgreementEvent]?, to id: String, in txn: borrowing Transaction
    ) throws -> [UInt8]? {
        let before = try state(of: id, before: events[0].version, in: txn)
        var damage = try before?.damage ?? (events[0].version > 0 ? try txn.get(layout.damaged, id).map(Self.damage) : nil)
        if decoded != nil, let damage { throw AgreementError.damagedAgreement(id, damage) }
        var state = before
        var lifecycle = false
        var statistics: [LawEnforcementStatistics.Key: LawEnforcementStatistics.Row] = [:]
        for (index, recorded) in events.enumerated() {
            let event: AgreementEvent
            if let decoded {
                event = decoded[index]
                // Rules are decided event by event: name the one at fault as the request does.
                do { try rules.decide(event, id: id, state: state) } catch { throw error.under("events[\(index)].data") }
            } else {
                do {
                    event = try AgreementEvent(type: recorded.type, canonical: recorded.data)
                } catch {
                    if damage == nil {
                        let found = AgreementDamage(position: recorded.position, reason: error.description)
                        try txn.put(layout.damaged, id, try JSONValueEncoder().canonicalBytes(found))
                        damage = found
                        state?.damage = found
                        lifecycle = true
                    }
                    continue
                }
            }
            guard case .lawEnforcementAccess(let access) = event else {
                if damage == nil {
                    state = Agreement.evolve(state, event, id: id, context: EventContext(recorded))
                    lifecycle = true
                }
                continue
            }
            // Most events: count in place rather than copy the agreement through `evolve`.
            let summary = access.summary
            if damage == nil { state?.recordAccess(summary, version: recorded.version, position: recorded.position) }
            for key in LawEnforcementStatistics.keys(for: summary) {
                var row =
                    try statistics[key] ?? cache.statisticsRow(key) ?? layout.statisticsRow(key, in: txn)
                    ?? LawEnforcementStatistics.Row(periodKind: key.periodKind, period: key.period, requesterType: key.requesterType)
                row.record(summary)
                statistics[key] = row
            }
        }
        for (key, row) in statistics { cache.store(row, at: key) }
        guard let state else { return nil }
        if lifecycle {
            try layout.put(state, in: txn)
            try layout.indexEnd(of: state, replacing: before?.endDate, in: txn)
        }
        if before == nil {
            try txn.put(layout.recipientAgreements, RegistryLayout.indexKey(state.recipient.id, id), 0)
        }
        cache.store(state)
        return CountsSummary.bytes(state.lawEnforcement)
    }

    private static func damage(_ json: [UInt8]) throws -> AgreementDamage {
        try JSONValueDecoder().decode(AgreementDamage.self, from: json)
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
