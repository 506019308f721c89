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
        queue.append(contentsOf: items)
        switch writer {
        case .busy:
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

    /// The writer's next step; `now` is the monotonic clock in nanoseconds.
    mutating func next(now: UInt64) -> WriterAction {
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
            case .busy, .sleeping:
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
        case .busy: return false
        case .sleeping, .lingering:
            writer = .busy
            return true
        }

    }
}
