import Synchronization

/// Values computed once and shared by every thread that asks: the first to
/// ask makes a value, later ones copy it. Two threads missing the same key
/// at the same moment may both make it; the value must not depend on which.
///
/// Meant for values that a key decides for good (rows of an append-only
/// log at a position), so nothing is ever invalidated. Bounded: at
/// `capacity` entries it starts again empty, which live readers (who ask
/// for the newest keys) hardly notice.
final class SharedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "a cache holds at least one value")
        self.capacity = capacity
    }

    /// The value for `key`, made by `make` unless someone made it already;
    /// `nil` (not kept) when `make` has none.
    func value(_ key: Key, _ make: () throws -> Value?) rethrows -> Value? {
        if let value = entries.withLock({ $0[key] }) { return value }
        guard let value = try make() else { return nil }
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
        return value
    }

    /// How many values it holds now.
    var count: Int { entries.withLock { $0.count } }
}
