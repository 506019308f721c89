import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// State behind a mutex, with a condition variable for a thread that waits
/// for it to change: the one primitive under the writer's and the tree
/// grower's hand-offs.
///
/// `withLock` changes the state; whoever's change may end a wait calls
/// `signal()` (after unlocking, so the woken thread does not wait for the
/// lock). `wait` runs its body under the lock until the body decides. A
/// waiter that expects a signal within microseconds can watch for it
/// instead of sleeping (`poll`): waking a sleeping thread costs more than
/// that on a virtual machine, whose idle processor halts.
final class ConditionLock<State>: @unchecked Sendable {
    // Everything below is touched only with `mutex` held.
    private var state: State
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    /// Counts signals, for a waiter that polls instead of sleeping.
    private let signals = Atomic<UInt32>(0)

    /// What a waiter's body decided.
    enum Decision<R> {
        /// Sleep until signalled.
        case wait
        /// Sleep until signalled or until the monotonic clock reads `deadline` (ns).
        case waitUntil(deadline: UInt64)
        /// Watch, without the lock and without sleeping, until signalled or
        /// until the clock reads `deadline`, then decide again.
        case poll(deadline: UInt64)
        /// Stop waiting with this result.
        case done(R)
    }

    init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Wakes one waiter. Without a sleeping waiter this makes no system call.
    func signal() {
        signals.add(1, ordering: .releasing)
        pthread_cond_signal(condition)
    }

    /// Wakes every waiter.
    func broadcast() {
        signals.add(1, ordering: .releasing)
        pthread_cond_broadcast(condition)
    }

    /// Runs `decide` under the lock, sleeping between calls as it says,
    /// until it returns `.done`.
    func wait<R>(_ decide: (inout State) -> Decision<R>) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            switch decide(&state) {
            case .done(let result):
                return result
            case .wait:
                pthread_cond_wait(condition, mutex)
            case .waitUntil(let deadline):
                var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
                pthread_cond_timedwait(condition, mutex, &time)
            case .poll(let deadline):
                let seen = signals.load(ordering: .acquiring)
                pthread_mutex_unlock(mutex)
                Spin.until(deadline: deadline) { signals.load(ordering: .acquiring) != seen }
                pthread_mutex_lock(mutex)
            }
        }
    }

    /// The monotonic clock in nanoseconds, the clock `waitUntil` deadlines use.
    static var now: UInt64 { Spin.now }
}
