import Synchronization

/// One response's place in a connection's output order.
///
/// The reader creates a slot per request, in order; whoever computes the
/// response fills it; the writer writes slots in order, waiting for each, and
/// then marks it written (so a subscription starts pushing only after its
/// `subscribe` response is on the wire).
final class ResponseSlot: Sendable {
    private enum State {
        case pending(filled: [CheckedContinuation<[UInt8], Never>], written: [CheckedContinuation<Void, Never>])
        case filled([UInt8], written: [CheckedContinuation<Void, Never>])
        case written
    }

    private let state = Mutex(State.pending(filled: [], written: []))

    var isFilled: Bool {
        state.withLock { if case .pending = $0 { false } else { true } }
    }

    func fill(_ line: [UInt8]) {
        let waiters = state.withLock { state -> [CheckedContinuation<[UInt8], Never>] in
            guard case .pending(let filled, let written) = state else { return [] }
            state = .filled(line, written: written)
            return filled
        }
        for waiter in waiters { waiter.resume(returning: line) }
    }

    /// The response, once filled.
    func line() async -> [UInt8] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [UInt8]? in
                switch state {
                case .pending(var filled, let written):
                    filled.append(continuation)
                    state = .pending(filled: filled, written: written)
                    return nil
                case .filled(let line, _): return line
                case .written: return []
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func markWritten() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state = .written }
            switch state {
            case .pending(_, let written), .filled(_, let written): return written
            case .written: return []
            }
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the response has been written (or the connection gave up on it).
    func written() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                switch state {
                case .pending(let filled, var written):
                    written.append(continuation)
                    state = .pending(filled: filled, written: written)
                    return false
                case .filled(let line, var written):
                    written.append(continuation)
                    state = .filled(line, written: written)
                    return false
                case .written: return true
                }
            }
            if done { continuation.resume() }
        }
    }
}
