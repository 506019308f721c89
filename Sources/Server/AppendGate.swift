import Dispatch
import Synchronization

/// The server-wide bound on appends waiting for their commit: beyond it an
/// append is answered `overloaded` at once instead of queueing without end.
final class AppendGate: Sendable {
    let limit: Int
    private let waiting = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    func tryEnter() -> Bool {
        if waiting.add(1, ordering: .relaxed).newValue <= limit { return true }
        waiting.subtract(1, ordering: .relaxed)
        return false
    }

    func leave() { waiting.subtract(1, ordering: .relaxed) }
}
