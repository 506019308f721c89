import AccordCore
import Agreements
import EventStore

extension Registry {
    /// The stored projections, when they reflect the whole log with this
    /// build's rules (an empty log's are empty): where a replica's bulk copy
    /// can continue them from the pages it folds (`delta(folding:)`), instead
    /// of rebuilding them from the start. `nil` when they are behind.
    public func levelState(_ store: EventStore) throws -> RegisterState? {
        guard store.head > 0 else { return RegisterState() }
        let (version, position) = try store.read { try storedState(in: $0) }
        guard version == RegistryLayout.projectionVersion, position == store.head else { return nil }
        return try storedState(store)
    }

    /// Folds a page of copied records as `fold` folds a stretch of the log.
    public func delta(folding copy: StoredCopy) throws -> RegisterDelta {
        var delta = RegisterDelta()
        try copy.forEachRecord { delta.apply($0) }
        return delta
    }

    /// Stores `state` (the projections `levelState` gave when the copy began)
    /// continued by `delta` (every page copied since, folded in order from
    /// `start`), then by the log from where the delta ends to the head
    /// (events copied without it): a bulk copy's projections, without
    /// folding the log again. A delta that does not start where the state
    /// ends is not trusted: the projections are rebuilt instead.
    public func attach(_ store: EventStore, continuing state: RegisterState, with delta: RegisterDelta, from start: Position) throws {
        guard start == state.position else { return try rebuild(store) }
        var state = state
        state.merge(delta)
        let head = store.head
        try scan(store, from: state.position, to: head) { state.apply($0) }
        state.position = head
        try write(state, in: store.environment)
        store.withWriterRole { hook.rollback() }
    }
}
