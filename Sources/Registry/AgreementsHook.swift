import Agreements
import EventStore
import LMDB

/// Validates agreement events and updates the projections inside the log's
/// write transaction (see `AppendHook`): an invalid history cannot be written,
/// and the projections always equal the log.
struct AgreementsHook: AppendHook {
    let layout: RegistryLayout
    let rules: AgreementRules

    func didAppend(_ events: [RecordedEvent], in txn: Transaction, log: LogReader) throws {
        guard let first = events.first, let last = events.last else { return }
        if !first.stream.isSystem {
            let id = first.stream.rawValue
            let before = try layout.agreement(id, in: txn)
            var state = before
            var statistics: [String: LawEnforcementStatistics.Row] = [:]
            for recorded in events {
                let event = try AgreementEvent(type: recorded.type, data: recorded.data.value())
                try rules.decide(event, id: id, state: state)
                state = Agreement.evolve(state, event, id: id, context: EventContext(recorded))
                if case .lawEnforcementAccess(let access) = event {
                    for (kind, period) in LawEnforcementStatistics.keys(for: access) {
                        let key = LawEnforcementStatistics.Row(periodKind: kind, period: period, requesterType: access.requesterType).key
                        var row = try statistics[key] ?? layout.statisticsRow(key, in: txn)
                            ?? .init(periodKind: kind, period: period, requesterType: access.requesterType)
                        row.record(access)
                        statistics[key] = row
                    }
                }
            }
            if let state {
                try layout.put(state, in: txn)
                if before == nil {
                    try txn.put(layout.recipientAgreements, RegistryLayout.recipientKey(state.recipient.id, id), 0)
                }
            }
            for row in statistics.values { try layout.put(row, in: txn) }
        }
        try txn.put(layout.meta, "position", last.position + 1)
    }
}
