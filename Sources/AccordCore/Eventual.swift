import Synchronization

/// A value that arrives once, later, and any number of tasks waiting for it:
/// the one primitive Accord uses wherever a task waits for another thread's
/// result (a response's turn, a bound address, a reply from the server, a
/// pusher's end).
///
/// - The first `resolve` wins; later ones are ignored, so racing producers
///   (a result and a connection failure, say) need no coordination.
/// - Waiting is cancellation-aware: a waiter whose task is cancelled stops
///   waiting at once with `CancellationError`; the value stays for others.
/// - A waiter that arrives after the value returns without suspending.
public final class Eventual<Value: Sendable>: Sendable {
    private enum State {
        case pending(waiters: [UInt64: CheckedContinuation<Value, any Error>], nextID: UInt64)
        case resolved(Result<Value, any Error>)
    }

    private let state = Mutex(State.pending(waiters: [:], nextID: 0))

    public init() {}

    /// An eventual that already holds `result`.
    public init(_ result: Result<Value, any Error>) {
        state.withLock { $0 = .resolved(result) }
    }

    /// Settles the value and wakes every waiter; `false` if it was settled already.
    @discardableResult
    public func resolve(_ result: Result<Value, any Error>) -> Bool {
        let waiters: [CheckedContinuation<Value, any Error>]? = state.withLock { state in
            guard case .pending(let waiters, _) = state else { return nil }
            state = .resolved(result)
            return Array(waiters.values)
        }
        guard let waiters else { return false }
        for waiter in waiters { waiter.resume(with: result) }
        return true
    }

    /// Settles the value with `value`.
    @discardableResult
    public func succeed(_ value: Value) -> Bool { resolve(.success(value)) }

    /// Settles the value with `error`.
    @discardableResult
    public func fail(_ error: any Error) -> Bool { resolve(.failure(error)) }

    /// The result if settled, without waiting.
    public var result: Result<Value, any Error>? {
        state.withLock { state in
            guard case .resolved(let result) = state else { return nil }
            return result
        }
    }

    /// Whether the value has been settled.
    public var isResolved: Bool { result != nil }

    /// Waits for the value; throws its error, or `CancellationError` when
    /// the waiting task is cancelled first.
    public func value() async throws -> Value {
        if let result { return try result.get() }
        let id = state.withLock { state -> UInt64? in
            guard case .pending(let waiters, let next) = state else { return nil }
            state = .pending(waiters: waiters, nextID: next + 1)
            return next
        }
        guard let id else { return try result!.get() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let early: Result<Value, any Error>? = state.withLock { state in
                    switch state {
                    case .resolved(let result):
                        return result
                    case .pending(var waiters, let next):
                        if Task.isCancelled { return .failure(CancellationError()) }
                        waiters[id] = continuation
                        state = .pending(waiters: waiters, nextID: next)
                        return nil
                    }
                }
                if let early { continuation.resume(with: early) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Value, any Error>? in
                guard case .pending(var waiters, let next) = state, let waiter = waiters.removeValue(forKey: id) else { return nil }
                state = .pending(waiters: waiters, nextID: next)
                return waiter
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }
}

extension Eventual where Value == Void {
    /// Settles a signal.
    @discardableResult
    public func succeed() -> Bool { resolve(.success(())) }

    /// Waits for the signal, never throwing unless cancelled.
    public func wait() async throws { try await value() }
}
