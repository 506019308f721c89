import AccordCore
import Agreements
import EventStore
import LMDB

/// A point in the log's history for "as of" queries.
public enum AsOf: Sendable, Hashable {
    /// Now: everything committed.
    case head
    /// The log as it stood with events `0..<position`.
    case position(Position)
    /// The log as it stood at a recorded time: every event recorded at or before
    /// it. "What did the register say then?"
    case recordedAt(Timestamp)
    /// The whole log as known now, counting only events that took effect at or
    /// before a time (`occurredAt`, else `recordedAt`). "What was in force
    /// then, as we know it now?": a revocation recorded later but backdated
    /// counts; an approval recorded earlier but effective later does not.
    case effectiveAt(Timestamp)
}

extension Registry {
    /// The log length that `asOf` names. Uses `recordedAt` never decreasing
    /// along the log to binary-search the position.
    public func position(of asOf: AsOf, in store: EventStore) throws -> Position {
        let head = store.head
        switch asOf {
        case .head, .effectiveAt: return head
        case .position(let position): return min(position, head)
        case .recordedAt(let time):
            return try store.read { txn in
                var low: Position = 0
                var high = head
                while low < high {
                    let mid = low + (high - low) / 2
                    guard let event = try store.log.event(at: mid, in: txn) else { break }
                    if event.recordedAt <= time { low = mid + 1 } else { high = mid }
                }
                return low
            }
        }
    }

    /// Every projection as of `asOf`: the stored ones for the head when they
    /// are current (this build's version, the whole log), else a fold of the
    /// log up to that point, so read-only tools are right even on a directory
    /// whose projections an upgrade has not rebuilt yet.
    public func state(asOf: AsOf, in store: EventStore) throws -> RegisterState {
        if case .effectiveAt(let time) = asOf {
            let head = store.head
            var state = RegisterState()
            try scan(store, from: 0, to: head) { record in
                if record.effectiveAt <= time { state.apply(record) }
            }
            state.position = head
            return state
        }
        let end = try position(of: asOf, in: store)
        if end >= store.head, try store.read({ try storedState(in: $0).version }) == RegistryLayout.projectionVersion {
            let stored = try storedState(store)
            if stored.position == end { return stored }
        }
        return try fold(store, upTo: end)
    }
}
