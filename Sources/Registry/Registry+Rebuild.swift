import AccordJSON
import Agreements
import EventStore
import LMDB

extension Registry {
    /// Folds the log from the start, in memory, into every projection.
    ///
    /// Folding trusts the log: events were validated when appended, so rules
    /// that changed since never rewrite history. Reads in chunks so no read
    /// transaction stays open for long.
    public func fold(_ store: EventStore, upTo end: Position? = nil, progress: (UInt64, UInt64) -> Void = { _, _ in }) throws -> RegisterState {
        let end = min(end ?? store.head, store.head)
        var state = RegisterState()
        let chunk = 65_536
        while state.position < end {
            try store.read { txn in
                var seen = 0
                try store.log.scanRecords(from: state.position, in: txn) { record in
                    guard record.position < end else { return false }
                    try state.apply(record)
                    seen += 1
                    return seen < chunk
                }
            }
            progress(state.position, end)
        }
        return state
    }

    /// Replaces the stored projections with a fold of the whole log.
    ///
    /// Run while no appends are in flight (at start, before serving).
    public func rebuild(_ store: EventStore, progress: (UInt64, UInt64) -> Void = { _, _ in }) throws {
        let state = try fold(store, progress: progress)
        try write(state, in: store.environment)
        hook.rollback()
    }

    func write(_ state: RegisterState, in env: Environment) throws {
        try env.write { txn in
            try txn.clear(layout.agreements)
            try txn.clear(layout.activity)
            try txn.clear(layout.recipientAgreements)
            try txn.clear(layout.statistics)
            for id in state.agreements.keys.sorted() {
                let agreement = state.agreements[id]!
                try layout.put(agreement, lifecycle: true, in: txn)
                try txn.put(layout.recipientAgreements, RegistryLayout.recipientKey(agreement.recipient.id, id), 0)
            }
            for row in state.statistics.sortedRows {
                guard let key = LawEnforcementStatistics.Key(row) else { continue }
                try layout.put(row, at: key, in: txn)
            }
            try txn.put(layout.meta, "version", RegistryLayout.projectionVersion)
            try txn.put(layout.meta, "position", state.position)
        }
    }

    /// The stored projections read back as a `RegisterState` (for comparing
    /// incremental maintenance with a rebuild).
    public func storedState(_ store: EventStore) throws -> RegisterState {
        try store.read { txn in
            var state = RegisterState()
            try txn.scanRaw(layout.agreements) { _, value in
                let agreement = try layout.agreement(json: Array(value), in: txn)
                state.agreements[agreement.id] = agreement
                return true
            }
            state.statistics = try statistics(in: txn)
            state.position = try storedState(in: txn).position
            return state
        }
    }
}
