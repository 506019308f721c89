import Synchronization

/// One pusher's wake-ups.
struct Wakeup: Sendable {
    let stream: AsyncStream<Void>
    let continuation: AsyncStream<Void>.Continuation
    let cancel: @Sendable () -> Void

    /// Wakes this pusher alone (to make it notice a stop).
    func wake() { continuation.yield() }
}
