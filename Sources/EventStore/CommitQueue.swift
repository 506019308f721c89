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
        /// Asleep while a submitter commits its own small batch on its own
        /// thread (the writer role is a lock; no thread hand-off at all).
        case inline
        /// Waiting until `until` for `want` appends to be queued.
        case lingering(until: UInt64, want: Int)
        /// Committing, or about to: never woken.
        case busy
    }

    enum SubmitAction {
        /// Queued; the writer will see it.
        case queued
        /// Queued; wake the writer.
        case wakeWriter
        /// Not queued: the writer is idle and the batch small, so the
        /// submitter commits it itself, then calls `inlineFinished()`.
        case commitInline([Item])
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
        /// The queue is drained and the store closing: end the thread.
        case exit
    }

    static var lingerFrom: Int { 16 }
    static var lingerNanoseconds: UInt64 { 300_000 }

    private(set) var lifecycle: Lifecycle
    private var queue: [Item] = []
    private var writer = Writer.busy
    private var lastBatch = 0
    /// How many items of the next batch fit its limits, from their sizes.
    private let takeLimit: ([Item]) -> Int

    /// - Parameter batchLength: how many leading items fit one commit (at least one).
    init(readOnly: Bool, batchLength: @escaping ([Item]) -> Int) {
        lifecycle = readOnly ? .stopped(readOnly: true) : .running
        takeLimit = batchLength
    }

    var isAccepting: Bool { lifecycle == .running }

    mutating func submit(_ item: Item) -> SubmitAction {
        submit(contentsOf: [item], inlineUpTo: 0)
    }

    /// Queues `items` (one caller's batch), or hands them back to be
    /// committed inline when the writer idles, nothing is queued, and there
    /// are at most `inlineUpTo` of them: a lone client's append then costs no
    /// wake-up of another thread, while larger batches go to the writer so
    /// that the submitter's thread keeps reading while the disk syncs.
    mutating func submit(contentsOf items: [Item], inlineUpTo: Int) -> SubmitAction {
        switch lifecycle {
        case .draining: return .refuse(.shuttingDown)
        case .stopped(let readOnly): return .refuse(readOnly ? .readOnly : .shuttingDown)
        case .running: break
        }
        if case .sleeping = writer, queue.isEmpty, items.count <= inlineUpTo {
            writer = .inline
            return .commitInline(items)
        }
        queue.append(contentsOf: items)
        switch writer {
        case .busy, .inline:
            return .queued
        case .sleeping:
            writer = .busy
            return .wakeWriter
        case .lingering(_, let want):
            guard queue.count >= want else { return .queued }
            writer = .busy
            return .wakeWriter
        }
    }

    /// An inline commit ended; `true` when the writer must be woken for what
    /// was queued meanwhile (or to drain and exit).
    mutating func inlineFinished() -> Bool {
        guard case .inline = writer else { return false }
        guard !queue.isEmpty || lifecycle != .running else {
            writer = .sleeping
            return false
        }
        writer = .busy
        return true
    }

    /// The writer's next step; `now` is the monotonic clock in nanoseconds.
    mutating func next(now: UInt64) -> WriterAction {
        // While a submitter commits inline, the writer keeps sleeping.
        if case .inline = writer { return .sleep }
        guard !queue.isEmpty else {
            switch lifecycle {
            case .running:
                writer = .sleeping
                return .sleep
            case .draining, .stopped:
                lifecycle = .stopped(readOnly: false)
                return .exit
            }
        }
        if lifecycle == .running, lastBatch >= Self.lingerFrom, queue.count < lastBatch {
            switch writer {
            case .busy, .sleeping, .inline:
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
        return .commit(batch)
    }

    /// Stops accepting; `true` when the writer must be woken to drain and exit.
    mutating func shutdown() -> Bool {
        guard lifecycle == .running else { return false }
        lifecycle = .draining
        switch writer {
        case .busy, .inline: return false
        case .sleeping, .lingering:
            writer = .busy
            return true
        }

    }
}
