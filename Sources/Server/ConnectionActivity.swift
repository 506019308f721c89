import Dispatch
import Synchronization

/// What a connection's timers need to know about it: whether it has
/// authenticated, when it last sent a line, and how many pushers it runs.
final class ConnectionActivity: Sendable {
    private let authenticated = Atomic<Bool>(false)
    private let lastLine = Atomic<UInt64>(DispatchTime.now().uptimeNanoseconds)
    private let pushers = Atomic<Int>(0)

    var isAuthenticated: Bool { authenticated.load(ordering: .acquiring) }

    func setAuthenticated() { authenticated.store(true, ordering: .releasing) }

    func sawLine() { lastLine.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }

    func pusherStarted() { pushers.add(1, ordering: .relaxed) }

    func pusherEnded() { pushers.subtract(1, ordering: .relaxed) }

    /// Idle: no subscription or watch running and no line for `limit`.
    func isIdle(for limit: Duration) -> Bool {
        guard pushers.load(ordering: .relaxed) == 0 else { return false }
        let (seconds, attoseconds) = limit.components
        let limitNanoseconds = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        return DispatchTime.now().uptimeNanoseconds - lastLine.load(ordering: .relaxed) > limitNanoseconds
    }
}
