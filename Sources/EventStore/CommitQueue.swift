/// The group committer's state machine: the queue of appends, what the
/// writer thread is doing, and the store's lifecycle. It decides; the
/// `GroupCommitter` carries out what it returns (wakes, commits, refusals)
/// outside the lock, in the style of SwiftNIO's `NIOAsyncWriter`.
///
/// Batching: a commit takes every queued append up to the batch limits.
/// Under load (the last batch held at least `lingerFrom` requests) the writer
/// lingers up to `lingerNanoseconds` for as many requests as the last batch
/// had, so that the callers one commit resumed share the next instead of
/// half of them missing it; a submitter wakes the lingering writer only when
/// that many are queued, so it wakes once, not once per request. A lone
/// writer never lingers.
///
/// A lone client: after a commit of one append, the writer watches the queue
/// for up to `pollNanoseconds` (`.poll`) before it sleeps, since that
/// client's next append is one round trip away and waking a sleeping writer
/// costs about as much as the round trip on a virtual machine. Under load
/// the last batch held more and the writer never polls; polls that see
/// nothing back off (`WatchBackoff`), and it polls only while the machine
/// has a processor to spare (`next`'s `spare`). A submit that finds
/// the queue empty and the writer idle says so (`alone`): its commit is the
/// next, and the caller may watch for it in turn.
///
/// Windows: with a write-ahead segment, consecutive commits share one LMDB
/// transaction (a window), acknowledged as each one's segment record is
/// synced and applied to LMDB together. The writer asks `next` with the
/// window's opening time; it answers `.apply` (commit the window) once the
/// window is `windowNanoseconds` old, or nothing was queued for
/// `windowIdleNanoseconds`, or a reader asked for it (`requestApply`), or
/// the store is closing with nothing queued; while something follows the
/// head live, after every commit.
struct CommitQueue<Item> {
    enum Lifecycle: Equatable {
        /// Accepting appends.
        case running
        /// Refusing new appends and committing what is queued.
        case draining
        /// The writer has exited (or never ran: a read-only store).
        case stopped(readOnly: Bool)
    }

    /// What the writer is doing, for deciding whether a submit must wake it.
    private enum Writer {
        /// Asleep until the first append arrives.
        case sleeping
        /// Waiting until `until` for `want` appends to be queued.
        case lingering(until: UInt64, want: Int)
        /// Committing, or about to: never woken.
        case busy
        /// Watching the queue without sleeping: woken as a sleeper is (the signal is what it watches).
        case polling
    }

    enum SubmitAction {
        /// Queued; the writer will see it.
        case queued
        /// Queued; wake the writer. `alone`: the queue held nothing else
        /// and the writer was idle, so the next commit is this one alone.
        case wakeWriter(alone: Bool)
        /// Not queued: the store is closing or read-only.
        case refuse(EventStoreError)
    }

    enum WriterAction {
        /// Commit these, then ask again.
        case commit([Item])
        /// Sleep until woken.
        case sleep
        /// Sleep until woken or the monotonic clock reads `deadline`.
        case linger(deadline: UInt64)
        /// Watch for a submit without sleeping until woken or the monotonic
        /// clock reads `deadline`, then ask again.
        case poll(deadline: UInt64)
        /// The queue is drained and the store closing: end the thread.
        case exit
        /// Commit the open window's LMDB transaction, then ask again without one.
        case apply
    }

    static var lingerFrom: Int { 16 }
    static var lingerNanoseconds: UInt64 { 300_000 }
    /// The longest a window stays open: how late a subscriber may see an
    /// acknowledged event under steady load.
    var windowNanoseconds: UInt64 = 5_000_000
    /// How long an open window waits for the next commit: longer than a
    /// lone client's turnaround, so its appends share a window.
    var windowIdleNanoseconds: UInt64 = 1_000_000
    /// How long the writer watches for a lone client's next append before
    /// sleeping (0: never, until a server sets it): longer than that
    /// client's turn-around on loopback (the response's trip and the next
    /// request's, about 100 µs here).
    var pollNanoseconds: UInt64 = 0

    private(set) var lifecycle: Lifecycle
    private var queue: [Item] = []
    private var writer = Writer.busy
    private var lastBatch = 0
    /// The last batch was one append and the writer has not polled since.
    private var mayPoll = false
    /// Polls that saw no submit make the next lone commits skip theirs.
    private var pollBackoff = WatchBackoff()
    /// Whether the machine had a processor to spare at the last `next`.
    private var processorSpare = true
    /// A reader waits for what the open window acknowledged.
    private var applyWanted = false
    /// Since when the open window has had nothing queued.
    private var idleSince: UInt64?
    /// How many items of the next batch fit its limits, from their sizes.
    private let takeLimit: ([Item]) -> Int

    /// - Parameter batchLength: how many leading items fit one commit (at least one).
    init(readOnly: Bool, batchLength: @escaping ([Item]) -> Int) {
        lifecycle = readOnly ? .stopped(readOnly: true) : .running
        takeLimit = batchLength
    }

    var isAccepting: Bool { lifecycle == .running }

    mutating func submit(_ item: Item) -> SubmitAction {
        submit(contentsOf: [item])
    }

    /// Queues `items` (one caller's batch). Every commit runs on the writer
    /// thread: it syncs the disk, which no submitter's thread (an event
    /// loop) may wait for.
    mutating func submit(contentsOf items: [Item]) -> SubmitAction {
        switch lifecycle {
        case .draining: return .refuse(.shuttingDown)
        case .stopped(let readOnly): return .refuse(readOnly ? .readOnly : .shuttingDown)
        case .running: break
        }
        let alone = queue.isEmpty
        queue.append(contentsOf: items)
        switch writer {
        case .busy:
            return .queued
        case .polling:
            pollBackoff.record(seen: true)
            writer = .busy
            return .wakeWriter(alone: alone)
        case .sleeping:
            writer = .busy
            return .wakeWriter(alone: alone)
        case .lingering(_, let want):
            guard queue.count >= want else { return .queued }
            writer = .busy
            return .wakeWriter(alone: alone && want == 1)
        }
    }

    /// Asks the writer to apply its open window soon (a reader waits for
    /// what it acknowledged); `true` when the writer must be woken. Harmless
    /// when no window is open: the next window applies after one commit.
    mutating func requestApply() -> Bool {
        applyWanted = true
        switch writer {
        case .busy: return false
        case .sleeping, .lingering, .polling:
            writer = .busy
            return true
        }
    }

    /// The writer's next step; `now` is the monotonic clock in nanoseconds,
    /// `windowOpened` when the open window's first commit was taken (`nil`
    /// when no window is open); `spare`, whether the machine has a
    /// processor to spare for a poll (`ProcessorPressure`).
    mutating func next(now: UInt64, windowOpened: UInt64? = nil, live: Bool = false, spare: Bool = true) -> WriterAction {
        processorSpare = spare
        // Still polling: no submit came (one would have woken it).
        if case .polling = writer { pollBackoff.record(seen: false) }
        guard let opened = windowOpened else {
            applyWanted = false
            return nextBatch(now: now)
        }
        // Something follows the head live (a subscription, a watch): each commit is applied at once,
        // so it sees events as soon as it would without windows.
        let closes = live ? opened : opened + windowNanoseconds
        if applyWanted || now >= closes || (lifecycle != .running && queue.isEmpty) {
            return apply()
        }
        guard queue.isEmpty else {
            if idleSince != nil {
                // Woken from idling by a submit: lingering for a batch starts afresh.
                idleSince = nil
                writer = .busy
            }
            return nextBatch(now: now)
        }
        let since = idleSince ?? now
        idleSince = since
        let deadline = min(since + windowIdleNanoseconds, closes)
        guard now < deadline else { return apply() }
        if let poll = poll(now: now, until: deadline) { return poll }
        writer = .lingering(until: deadline, want: 1)
        return .linger(deadline: deadline)
    }

    private mutating func apply() -> WriterAction {
        applyWanted = false
        idleSince = nil
        writer = .busy
        return .apply
    }

    private mutating func nextBatch(now: UInt64) -> WriterAction {
        guard !queue.isEmpty else {
            switch lifecycle {
            case .running:
                if let poll = poll(now: now, until: .max) { return poll }
                writer = .sleeping
                return .sleep
            case .draining, .stopped:
                lifecycle = .stopped(readOnly: false)
                return .exit
            }
        }
        if lifecycle == .running, lastBatch >= Self.lingerFrom, queue.count < lastBatch {
            switch writer {
            case .busy, .sleeping, .polling:
                let deadline = now + Self.lingerNanoseconds
                writer = .lingering(until: deadline, want: lastBatch)
                return .linger(deadline: deadline)
            case .lingering(let deadline, _) where now < deadline:
                return .linger(deadline: deadline)
            case .lingering:
                break
            }
        }
        writer = .busy
        let count = max(1, min(queue.count, takeLimit(queue)))
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        lastBatch = count
        mayPoll = count == 1
        return .commit(batch)
    }

    /// `.poll` once after a lone append's commit, ending by `until`.
    private mutating func poll(now: UInt64, until: UInt64) -> WriterAction? {
        guard mayPoll, pollNanoseconds > 0, lifecycle == .running else { return nil }
        mayPoll = false
        guard processorSpare, pollBackoff.shouldWatch() else { return nil }
        writer = .polling
        return .poll(deadline: min(now + pollNanoseconds, until))
    }

    /// Stops accepting; `true` when the writer must be woken to drain and exit.
    mutating func shutdown() -> Bool {
        guard lifecycle == .running else { return false }
        lifecycle = .draining
        switch writer {
        case .busy: return false
        case .sleeping, .lingering, .polling:
            writer = .busy
            return true
        }

    }
}

/// Compared in tests of the writer's and the submitters' decisions.
extension CommitQueue.WriterAction: Equatable where Item: Equatable {}
extension CommitQueue.SubmitAction: Equatable {}
