import Agreements
import EventStore
import Synchronization

/// Decoded agreements and statistics rows, so that the writer does not read
/// and decode them for each event.
///
/// Filled only after a request's writes all succeeded. An agreement is used
/// only when its version is exactly the one the log says precedes the new
/// events; `removeAll()` empties everything when a transaction the entries
/// came from is undone (the store reports every such rollback, and fails the
/// whole batch for any storage error after a hook has run). Its state is the
/// writer's (`WriterBound`): touched only while holding the writer role.
final class AgreementCache: Sendable {
    private struct State {
        /// Statistics rows as requests that succeeded left them. Never evicted:
        /// there are only a few per month, and rows changed in the current batch
        /// are written from here when it commits.
        var rows: [LawEnforcementStatistics.Key: LawEnforcementStatistics.Row] = [:]
        var changedRows: Set<LawEnforcementStatistics.Key> = []
        /// Agreements in two generations: lookups search the young one, then
        /// the old one (moving a hit back to the young); when the young one is
        /// full it becomes the old one and the previous old one is dropped. So
        /// the agreements being worked on stay, memory is bounded by
        /// `2 × generationSize` agreements (about 12 MB at the default), and no
        /// bookkeeping is done per hit.
        var young: [String: AgreementBox] = [:]
        var old: [String: AgreementBox] = [:]
    }

    private let state = WriterBound(State())
    private let generationSize: Int
    /// For metrics, read from other threads: agreements held, and how many
    /// were ever dropped (once any are, the cache has reached its bound).
    private let held = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)

    init(generationSize: Int = 4_096) {
        self.generationSize = generationSize
    }

    /// Agreements held now, at most `capacity`, and agreements dropped so far.
    var occupancy: (held: Int, capacity: Int, dropped: Int) {
        (held.load(ordering: .relaxed), 2 * generationSize, dropped.load(ordering: .relaxed))
    }

    func statisticsRow(_ key: LawEnforcementStatistics.Key) -> LawEnforcementStatistics.Row? { state.value.rows[key] }

    func store(_ row: LawEnforcementStatistics.Row, at key: LawEnforcementStatistics.Key) {
        state.value.rows[key] = row
        state.value.changedRows.insert(key)
    }

    /// The rows changed since the last call, for writing at commit.
    func takeChangedRows() -> [(LawEnforcementStatistics.Key, LawEnforcementStatistics.Row)] {
        defer { state.value.changedRows.removeAll(keepingCapacity: true) }
        let rows = state.value.rows
        return state.value.changedRows.compactMap { key in rows[key].map { (key, $0) } }
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
        if let box = state.value.young[id] { return box }
        guard let box = state.value.old.removeValue(forKey: id) else { return nil }
        insert(box, as: id)
        return box
    }

    private func insert(_ box: AgreementBox, as id: String) {
        if state.value.young.count >= generationSize {
            dropped.add(state.value.old.count, ordering: .relaxed)
            state.value.old = state.value.young
            state.value.young = Dictionary(minimumCapacity: generationSize)
        }
        state.value.young[id] = box
        held.store(state.value.young.count + state.value.old.count, ordering: .relaxed)
    }

    func removeAll() {
        state.value.young.removeAll(keepingCapacity: true)
        state.value.old.removeAll()
        held.store(0, ordering: .relaxed)
        state.value.rows.removeAll(keepingCapacity: true)
        state.value.changedRows.removeAll(keepingCapacity: true)
    }
}

/// A cached agreement, updated in place by the writer.
final class AgreementBox {
    var value: Agreement

    init(_ value: Agreement) { self.value = value }
}
