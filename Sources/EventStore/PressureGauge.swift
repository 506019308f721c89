/// Decides from readings of the kernel's processor-stall counter whether
/// the machine has a processor to spare: the part of the last interval in
/// which some runnable task waited for a processor stayed at or under
/// `threshold`.
///
/// The counter is Linux's pressure stall information (`/proc/pressure/cpu`,
/// its `some` line's `total`, in µs), cumulative. A watcher holds a
/// processor it would otherwise leave idle; on a machine where tasks already
/// wait for one, it takes that time from them, so watching is for a machine
/// that is not busy. After a busy verdict the next reading is `hold` away,
/// so it measures the machine while nothing watched (if the watching was
/// what made it busy, watching resumes after `hold`: at most one interval
/// in `hold / interval` is spent finding out again).
///
/// A pure state machine: `ProcessorPressure` reads the counter and the
/// clock and keeps this behind its lock.
struct PressureGauge: Sendable {
    /// How often a reading is taken while the machine has a processor to spare.
    var interval: UInt64 = 100_000_000
    /// How long after a busy verdict the next reading is taken.
    var hold: UInt64 = 1_000_000_000
    /// The largest part of an interval, in thousandths, that tasks may have
    /// waited for a processor for it to count as spare. Two processes
    /// passing one request back and forth (a client and a server) stall
    /// 10–13% of the time on an otherwise idle two-processor VM (a halted
    /// processor is slow to wake); a test suite or a build, 40–60%.
    var threshold: UInt64 = 250

    /// Whether the last verdict found a processor to spare; `false` until
    /// two readings make one.
    private(set) var spare = false
    /// When the next reading is due (monotonic nanoseconds).
    private(set) var nextReading: UInt64 = 0
    private var last: (time: UInt64, stalled: UInt64)?

    /// Takes a reading at `now` (monotonic nanoseconds) of the cumulative
    /// stall counter, in µs; `nil` when it could not be read (the machine
    /// never counts as spare then).
    mutating func record(now: UInt64, stalledMicroseconds: UInt64?) {
        guard let stalled = stalledMicroseconds else {
            spare = false
            last = nil
            nextReading = .max
            return
        }
        defer { last = (now, stalled) }
        // A reading after a long pause (nobody asked: no lone client) says nothing of now.
        guard let last, now > last.time, now - last.time <= 2 * hold, stalled >= last.stalled else {
            spare = false
            nextReading = now &+ interval
            return
        }
        let waited = (stalled - last.stalled).multipliedReportingOverflow(by: 1_000_000)
        spare = !waited.overflow && waited.partialValue <= threshold * (now - last.time)
        nextReading = now &+ (spare ? interval : hold)
    }
}
