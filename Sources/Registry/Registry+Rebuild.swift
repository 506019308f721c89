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
    /// that changed since never rewrite history. A long log is folded in
    /// stretches at once (see `RegisterDelta`), on every core.
    public func fold(
        _ store: EventStore, upTo end: Position? = nil, parallelFrom: Position = 100_000,
        progress: (UInt64, UInt64) -> Void = { _, _ in }
    ) throws -> RegisterState {
        let end = min(end ?? store.head, store.head)
        guard end >= parallelFrom, end >= 2 else {
            var state = RegisterState()
            try scan(store, from: 0, to: end) { state.apply($0) }
            progress(end, end)
            return state
        }
        // More stretches than threads, taken as threads come free: the log's
        // cost per event varies along it (lifecycle events cost more than
        // law-enforcement records), so two halves would leave one thread idle.
        let stretches = 8
        let bounds = (0...stretches).map { end * UInt64($0) / UInt64(stretches) }
        let parts = FoldParts(count: stretches)
        DispatchQueue.concurrentPerform(iterations: stretches) { index in
            do {
                if index == 0 {
                    var state = RegisterState()
                    try scan(store, from: 0, to: bounds[1]) { state.apply($0) }
                    parts.set(first: state)
                } else {
                    var delta = RegisterDelta()
                    try scan(store, from: bounds[index], to: bounds[index + 1]) { delta.apply($0) }
                    delta.position = bounds[index + 1]
                    parts.set(delta, at: index)
                }
            } catch {
                parts.set(error: error)
            }
        }
        var (state, deltas) = try parts.collected()
        for delta in deltas { state.merge(delta) }
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

    /// Rebuilds the projections while the server runs: holds the writer (appends
    /// wait) for the fold and the write, so they are of exactly one log.
    /// Returns the log length they reflect.
    public func rebuildOnline(_ store: EventStore) throws -> Position {
        try store.withWriterRole {
            let state = try fold(store)
            try write(state, in: store.environment)
            hook.rollback()
            return state.position
        }
    }

    /// Says, once per rebuild, which agreements could not be folded and where.
    func report(_ damaged: [String: AgreementDamage]) {
        for (id, damage) in damaged.sorted(by: { $0.key < $1.key }) {
            logger.error(
                "agreement damaged: an event of its stream cannot be folded; it is shown as it stood before it",
                metadata: ["agreementId": "\(id)", "position": "\(damage.position)", "reason": "\(damage.reason)"])
        }
    }

    func write(_ state: RegisterState, in env: Environment) throws {
        try env.write { txn in
            try txn.clear(layout.agreements)
            try txn.clear(layout.recipientAgreements)
            try txn.clear(layout.agreementEnds)
            try txn.clear(layout.statistics)
            try txn.clear(layout.damaged)
            for (id, damage) in state.damaged { try txn.put(layout.damaged, id, try JSONValueEncoder().canonicalBytes(damage)) }
            let agreements = state.agreements.keys.sorted().map { state.agreements[$0]! }
            for (agreement, json) in zip(agreements, try Self.encoded(agreements)) {
                let id = agreement.id
                try txn.put(layout.agreements, id, json)
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
        report(state.damaged)
    }

    /// Each agreement's stored JSON, encoded on every core: a rebuild writes
    /// them all, and encoding is most of its writing.
    static func encoded(_ agreements: [Agreement]) throws -> [[UInt8]] {
        let stretches = agreements.count < 1_024 ? 1 : 16
        let parts = Mutex<[Result<[[UInt8]], any Error>?]>(Array(repeating: nil, count: stretches))
        DispatchQueue.concurrentPerform(iterations: stretches) { index in
            let range = agreements.count * index / stretches..<agreements.count * (index + 1) / stretches
            let result = Result { try agreements[range].map { try JSONValueEncoder().canonicalBytes($0) } }
            parts.withLock { $0[index] = result }
        }
        return try parts.withLock { $0 }.flatMap { try $0!.get() }
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
            state.damaged = try layout.damagedAgreements(in: txn)
            state.position = try storedState(in: txn).position
            return state
        }
    }
}

/// The stretches of a parallel fold, filled from several threads: the
/// first stretch's state and the later ones' deltas, in log order.
private final class FoldParts: Sendable {
    private let parts: Mutex<(first: RegisterState?, deltas: [RegisterDelta?], error: (any Error)?)>

    init(count: Int) {
        parts = Mutex((nil, Array(repeating: nil, count: count), nil))
    }

    func set(first: RegisterState) { parts.withLock { $0.first = first } }
    func set(_ delta: RegisterDelta, at index: Int) { parts.withLock { $0.deltas[index] = delta } }
    func set(error: any Error) { parts.withLock { $0.error = $0.error ?? error } }

    /// The first state and the later deltas, or the first error a thread met.
    func collected() throws -> (RegisterState, [RegisterDelta]) {
        try parts.withLock { parts in
            if let error = parts.error { throw error }
            return (parts.first!, parts.deltas.dropFirst().map { $0! })
        }
    }
}
