import Synchronization

/// Values computed once and shared by every thread that asks: the first to
/// ask makes a value, later ones copy it. Two threads missing the same key
/// at the same moment may both make it; the value must not depend on which.
///
/// Meant for values that a key decides for good (rows of an append-only
/// log at a position), so nothing is ever invalidated. Bounded by the sum of
/// its values' `cost` (one each unless told): when a value would take it
/// past `capacity` it starts again empty, which live readers (who ask for
/// the newest keys) hardly notice; a value costing more than `capacity` is
/// handed out but not kept.
final class SharedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entries {
        var values: [Key: Value] = [:]
        var cost = 0
    }

    private let entries = Mutex(Entries())
    private let cost: @Sendable (Value) -> Int
    let capacity: Int

    init(capacity: Int, cost: @escaping @Sendable (Value) -> Int = { _ in 1 }) {
        precondition(capacity > 0, "a cache holds at least one value")
        self.capacity = capacity
        self.cost = cost
    }

    /// The value for `key`, made by `make` unless someone made it already;
    /// `nil` (not kept) when `make` has none.
    func value(_ key: Key, _ make: () throws -> Value?) rethrows -> Value? {
        if let value = entries.withLock({ $0.values[key] }) { return value }
        guard let value = try make() else { return nil }
        let valueCost = max(1, cost(value))
        guard valueCost <= capacity else { return value }
        entries.withLock { entries in
            guard entries.values[key] == nil else { return }
            if entries.cost + valueCost > capacity { entries = Entries() }
            entries.values[key] = value
            entries.cost += valueCost
        }
        return value
    }
}
