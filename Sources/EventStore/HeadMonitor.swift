import AccordCore
import Synchronization

/// Publishes the log's head (its length) after every commit, and the
/// durable head (what appends were acknowledged up to) after every
/// acknowledgement, which may be ahead: a window's events are readable
/// once LMDB applies it (`BatchWriter.applyWindow`).
///
/// Each observer gets an `AsyncStream` that keeps only the newest head, so a
/// slow observer costs constant memory and never slows the writer; it simply
/// sees fewer, later heads and reads the events between from the log.
public final class HeadMonitor: Sendable {
    private struct State {
        var observers: [UInt64: AsyncStream<Position>.Continuation] = [:]
        var executors: [UInt64: ExecutorObserver] = [:]
        var nextId: UInt64 = 0
        /// Callers waiting for the head to reach a position.
        var waiters: [Waiter] = []
        /// Set when acknowledged appends cannot be applied until a restart.
        var failure: EventStoreError?
    }

    struct Waiter {
        let position: Position
        let executor: (any CompletionExecutor)?
        let body: @Sendable (Result<Void, EventStoreError>) -> Void

        func run(_ result: Result<Void, EventStoreError>) {
            guard let executor else { return body(result) }
            executor.execute { [body] in body(result) }
        }
    }

    /// An observer on an executor; `queued` merges notifications it has not run yet.
    private struct ExecutorObserver {
        let executor: any CompletionExecutor
        let notify: @Sendable (Position) -> Void
        let queued: Queued
    }

    private final class Queued: Sendable {
        let flag = Atomic(false)
    }

    /// A registration; `cancel()` stops its notifications.
    public struct Observation: Sendable {
        let cancelling: @Sendable () -> Void

        public func cancel() { cancelling() }
    }

    private let state = Mutex(State())
    /// Outside the lock: every subscription and watch reads the head on every
    /// wake-up, and taking the lock for that contended with `publish`. Written
    /// only under the lock, so `publish` never moves it backwards.
    private let current: Atomic<Position>
    private let durable: Atomic<Position>
    /// Observers registered now (written under the lock).
    private let observing = Atomic<Int>(0)

    init(head: Position) {
        current = Atomic(head)
        durable = Atomic(head)
    }

    /// The head as of the last commit: events occupy `0..<head`.
    public var head: Position { current.load(ordering: .acquiring) }

    /// Whether anything follows the head live (a subscription, a watch, a
    /// replica's audit): the writer then applies its windows sooner.
    var isObserved: Bool { observing.load(ordering: .relaxed) > 0 }

    private func counted(_ state: State) {
        observing.store(state.observers.count + state.executors.count, ordering: .relaxed)
    }

    /// The head as of the last acknowledgement (never behind `head`).
    public var durableHead: Position { durable.load(ordering: .acquiring) }

    /// Appends up to `head` were acknowledged: durable, not yet readable.
    func acknowledge(_ head: Position) {
        durable.store(head, ordering: .releasing)
    }

    /// Runs `body` (on `executor`, or here when `nil`) once the head reaches
    /// `position`: at once when it has; with the failure when acknowledged
    /// appends cannot be applied until a restart.
    func whenApplied(
        _ position: Position, on executor: (any CompletionExecutor)?, _ body: @escaping @Sendable (Result<Void, EventStoreError>) -> Void
    ) {
        let waiter = Waiter(position: position, executor: executor, body: body)
        let now: Result<Void, EventStoreError>? = state.withLock { state in
            if let failure = state.failure { return .failure(failure) }
            guard current.load(ordering: .acquiring) < position else { return .success(()) }
            state.waiters.append(waiter)
            return nil
        }
        if let now { waiter.run(now) }
    }

    /// Acknowledged appends cannot be applied until a restart: every
    /// waiter, now and later, is told so.
    func fail(_ error: EventStoreError) {
        let waiters = state.withLock { state in
            state.failure = error
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.run(.failure(error)) }
    }

    /// A stream of heads, starting with the current one.
    public func updates() -> AsyncStream<Position> {
        let (stream, continuation) = AsyncStream<Position>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            let id = state.nextId
            state.nextId += 1
            state.observers[id] = continuation
            counted(state)
            continuation.yield(current.load(ordering: .acquiring))
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                state.observers.removeValue(forKey: id)
                self?.counted(state)
            }
        }
        return stream
    }

    /// Calls `notify` on `executor` after commits, merging those it has not run yet.
    func observe(on executor: any CompletionExecutor, _ notify: @escaping @Sendable (Position) -> Void) -> Observation {
        let id = state.withLock { state in
            let id = state.nextId
            state.nextId += 1
            state.executors[id] = ExecutorObserver(executor: executor, notify: notify, queued: Queued())
            counted(state)
            return id
        }
        return Observation { [weak self] in
            self?.state.withLock { state in
                state.executors.removeValue(forKey: id)
                self?.counted(state)
            }
        }
    }

    func publish(_ head: Position) {
        if head > durable.load(ordering: .acquiring) { durable.store(head, ordering: .releasing) }
        let (executors, released) = state.withLock { state -> ([ExecutorObserver], [Waiter]) in
            guard head > current.load(ordering: .acquiring) else { return ([], []) }
            current.store(head, ordering: .releasing)
            for observer in state.observers.values { observer.yield(head) }
            var released: [Waiter] = []
            if !state.waiters.isEmpty {
                released = state.waiters.filter { $0.position <= head }
                state.waiters.removeAll { $0.position <= head }
            }
            return (Array(state.executors.values), released)
        }
        for waiter in released { waiter.run(.success(())) }
        for observer in executors where !observer.queued.flag.exchange(true, ordering: .acquiringAndReleasing) {
            let (queued, notify) = (observer.queued, observer.notify)
            observer.executor.execute { [self] in
                queued.flag.store(false, ordering: .releasing)
                notify(current.load(ordering: .acquiring))
            }
        }
    }

    func finish() {
        let observers = state.withLock { state in
            defer {
                state.observers.removeAll()
                counted(state)
            }
            return Array(state.observers.values)
        }
        for observer in observers { observer.finish() }
    }
}
