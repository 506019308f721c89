import Synchronization

/// Wakes long-running pushers (subscriptions, watches) when the log's head
/// moves, and lets one be stopped while it sleeps.
///
/// Each pusher holds a stream that keeps only the latest wake-up, so a
/// pusher that is busy writing costs nothing to wake.
final class WakeupHub: Sendable {
    private let wakers = Mutex<[UInt64: AsyncStream<Void>.Continuation]>([:])
    private let nextId = Atomic<UInt64>(0)

    /// A new registration; `cancel()` it when the pusher ends.
    func register() -> Wakeup {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = nextId.add(1, ordering: .relaxed).newValue
        wakers.withLock { $0[id] = continuation }
        return Wakeup(
            stream: stream, continuation: continuation,
            cancel: { [weak self] in
                _ = self?.wakers.withLock { $0.removeValue(forKey: id) }
                continuation.finish()
            })
    }

    func wakeAll() {
        for waker in wakers.withLock({ Array($0.values) }) { waker.yield() }
    }
}
