import AccordCore
import AccordJSON
import Agreements
import EventStore
import Foundation
import LMDB
import Synchronization

extension Registry {
    /// Folds the log from the start, in memory, into every projection.
    ///
    /// Folding trusts the log: events were validated when appended, so rules
    /// that changed since never rewrite history. A long log is folded in two
    /// halves at once (see `RegisterDelta`), on two threads.
    public func fold(
        _ store: EventStore, upTo end: Position? = nil, parallelFrom: Position = 100_000,
        progress: (UInt64, UInt64) -> Void = { _, _ in }
    ) throws -> RegisterState {
        let end = min(end ?? store.head, store.head)
        guard end >= parallelFrom, end >= 2 else {
            var state = RegisterState()
            try scan(store, from: 0, to: end) { try state.apply($0) }
            progress(end, end)
            return state
        }
        let middle = end / 2
        let halves = Halves()
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            do {
                if half == 0 {
                    var state = RegisterState()
                    try scan(store, from: 0, to: middle) { try state.apply($0) }
                    halves.set(first: state)
                } else {
                    var delta = RegisterDelta()
                    try scan(store, from: middle, to: end) { try delta.apply($0) }
                    delta.position = end
                    halves.set(second: delta)
                }
            } catch {
                halves.set(error: error)
            }
        }
        var state = try halves.first()
        state.merge(try halves.second())
        state.position = end
        progress(end, end)
        return state
    }

    /// Visits stored events `start..<end` in chunks, so no read transaction stays open long.
    func scan(_ store: EventStore, from start: Position, to end: Position, _ body: (borrowing RecordView) throws -> Void) throws {
        var next = start
        while next < end {
            try store.read { txn in
                var seen = 0
                try store.log.scanRecords(from: next, in: txn) { record in
                    guard record.position < end, seen < 65_536 else { return false }
                    try body(record)
                    next = record.position + 1
                    seen += 1
                    return true
                }
            }
        }
    }

    /// Replaces the stored projections with a fold of the whole log.
    ///
    /// Run while no appends are in flight (at start, before serving).
    public func rebuild(_ store: EventStore, progress: (UInt64, UInt64) -> Void = { _, _ in }) throws {
        let state = try fold(store, progress: progress)
        try write(state, in: store.environment)
        store.withWriterRole { hook.rollback() }
    }

    func write(_ state: RegisterState, in env: Environment) throws {
        try env.write { txn in
            try txn.clear(layout.agreements)
            try txn.clear(layout.recipientAgreements)
            try txn.clear(layout.agreementEnds)
            try txn.clear(layout.statistics)
            for id in state.agreements.keys.sorted() {
                let agreement = state.agreements[id]!
                try layout.put(agreement, in: txn)
                try layout.log.setSummary(CountsSummary.bytes(agreement.lawEnforcement), of: id, in: txn)
                try txn.put(layout.recipientAgreements, RegistryLayout.indexKey(agreement.recipient.id, id), 0)
                try layout.indexEnd(of: agreement, replacing: nil, in: txn)
            }
            for row in state.statistics.sortedRows {
                guard let key = LawEnforcementStatistics.Key(row) else { continue }
                try layout.put(row, at: key, in: txn)
            }
            try txn.put(layout.meta, "version", RegistryLayout.projectionVersion)
            try layout.log.setHookHead(state.position, in: txn)
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

/// The two halves of a parallel fold, filled from two threads.
private final class Halves: Sendable {
    private let state = Mutex<(RegisterState?, RegisterDelta?, (any Error)?)>((nil, nil, nil))

    func set(first: RegisterState) { state.withLock { $0.0 = first } }
    func set(second: RegisterDelta) { state.withLock { $0.1 = second } }
    func set(error: any Error) { state.withLock { $0.2 = error } }

    func first() throws -> RegisterState {
        try state.withLock { s in
            if let error = s.2 { throw error }
            return s.0!
        }
    }

    func second() throws -> RegisterDelta {
        try state.withLock { s in
            if let error = s.2 { throw error }
            return s.1!
        }
    }
}
