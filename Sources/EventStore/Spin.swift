#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Watching for a change instead of sleeping until woken, for hand-offs
/// expected within microseconds.
///
/// On a virtual machine an idle processor halts, and waking a thread there
/// takes tens of microseconds, as much as the work handed over; a lone
/// client's append crosses two such hand-offs (loop to writer, writer to
/// loop). Callers watch only when they know the wait is short and that no
/// other work is waiting for their processor (a lone client), and always
/// with a deadline, after which they sleep as before.
public enum Spin {
    /// The monotonic clock in nanoseconds.
    public static var now: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Calls `done` until it returns `true` or the monotonic clock reads
    /// `deadline`; returns whether `done` did. Between looks it yields the
    /// processor now and then, so a thread that shares it (the one that is
    /// to make `done` true, on a machine with fewer processors than busy
    /// threads) is not kept off it for a whole time slice.
    @discardableResult
    public static func until(deadline: UInt64, _ done: () -> Bool) -> Bool {
        var looks = 0
        while !done() {
            looks &+= 1
            if looks & (lookInterval - 1) == 0 {
                if now >= deadline { return done() }
                if looks & (yieldInterval - 1) == 0 { sched_yield() }
            }
        }
        return true
    }

    /// How many looks between two readings of the clock, and between two
    /// yields (powers of two; yielding every 256 looks kept a lone client's
    /// p99 where sleeping had it, never yielding raised it by half).
    static let lookInterval = 64
    static let yieldInterval = 256
}
