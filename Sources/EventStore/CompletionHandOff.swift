import Synchronization

/// One completion handed from the writer thread straight to a thread that
/// watches for it, instead of through that thread's task queue (which, for
/// a sleeping event loop, means a wake-up).
///
/// The watcher arms it before it submits, then takes what was delivered,
/// watching until a deadline; the writer delivers only while it is armed,
/// and otherwise (and once the watcher gave up) the caller delivers the
/// usual way. Exactly one of the two gets each piece of work: delivery and
/// disarming happen under one lock.
public final class CompletionHandOff: Sendable {
    private enum State: Int {
        case idle, armed, delivered
    }

    private let state = Atomic<Int>(State.idle.rawValue)
    private let slot = Mutex<(@Sendable () -> Void)?>(nil)

    public init() {}

    /// Expects a delivery (called by the watcher, before it submits).
    public func arm() {
        slot.withLock { _ in state.store(State.armed.rawValue, ordering: .relaxed) }
    }

    /// Hands `work` over when armed; `false` when not (the watcher gave up
    /// or never armed): the caller delivers it the usual way.
    public func deliver(_ work: @escaping @Sendable () -> Void) -> Bool {
        slot.withLock { slot in
            guard state.load(ordering: .relaxed) == State.armed.rawValue else { return false }
            slot = work
            state.store(State.delivered.rawValue, ordering: .releasing)
            return true
        }
    }

    /// Watches until something is delivered or the monotonic clock reads
    /// `deadline` (`0`: not at all), disarms, and returns what was
    /// delivered, for the watcher to run.
    public func take(until deadline: UInt64) -> (@Sendable () -> Void)? {
        if deadline > 0 {
            Spin.until(deadline: deadline) { state.load(ordering: .acquiring) == State.delivered.rawValue }
        }
        return slot.withLock { slot in
            state.store(State.idle.rawValue, ordering: .relaxed)
            defer { slot = nil }
            return slot
        }
    }
}
