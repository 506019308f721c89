import Synchronization

/// One response's place in a connection's output order.
///
/// The reader makes a slot per request, each knowing the one before it.
/// Whoever computes a response delivers it through its slot: the slot waits
/// until the previous response is written, writes its own, and is then marked
/// written. A response that is ready in turn (the common case) is written by
/// the task that computed it, with no hand-off to another task.
final class ResponseSlot: Sendable {
    private let state: Mutex<(previous: ResponseSlot?, written: Bool, waiters: [CheckedContinuation<Void, Never>])>
    private let output: Output
    private let limiter: InFlightLimiter

    init(after previous: ResponseSlot?, output: Output, limiter: InFlightLimiter) {
        state = Mutex((previous, false, []))
        self.output = output
        self.limiter = limiter
    }

    var isWritten: Bool { state.withLock { $0.written } }

    /// Writes `line` once every earlier response is written. A failed write
    /// (the client left) is ignored: later responses are dropped the same way.
    func deliver(_ line: [UInt8]) async {
        if let previous = state.withLock({ $0.previous }) { await previous.written() }
        if !line.isEmpty { try? await output.write(line) }
        let waiters = state.withLock { state in
            state.previous = nil
            state.written = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        limiter.release()
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once this response has been written.
    func written() async {
        // The common case: written already, so no need to suspend.
        if isWritten { return }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.written { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
