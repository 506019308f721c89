import CoreMetrics
import Foundation

/// The single writer: drains every pending append into one transaction and
/// one sync, then completes the callers (see `CommitQueue` for how batches
/// form).
///
/// It runs on a thread of its own because a commit blocks in `fsync`; neither
/// NIO event loops nor Swift's cooperative pool ever wait for the disk. Each
/// commit runs holding the store's `WriterRole`. Lifecycle: `CommitQueue.Lifecycle`.
final class GroupCommitter: Sendable {
    private let writer: WriterBound<BatchWriter>
    private let role: WriterRole
    private let queue: ConditionLock<CommitQueue<PendingAppend>>
    /// Whether the writer may poll for a lone client's next append now.
    let pressure = ProcessorPressure(path: nil)
    private let thread: WriterThread?
    /// Writes LMDB's unsynced pages back between sync points.
    private let writeback: Writeback?
    /// Events per commit, and each commit's duration (`accord_commit_*`).
    private let batchEvents: Recorder
    private let commitDuration: CoreMetrics.Timer

    init(writer: BatchWriter, role: WriterRole, maxBatchEvents: Int, maxBatchBytes: Int, metrics: any MetricsFactory) {
        batchEvents = Recorder(label: "accord_commit_batch_events", factory: metrics)
        commitDuration = CoreMetrics.Timer(label: "accord_commit_duration_seconds", factory: metrics)
        self.writer = WriterBound(writer)
        self.role = role
        writeback = writer.segment != nil ? Writeback(environment: writer.environment, intervalNanoseconds: 5_000_000) : nil
        let readOnly = writer.environment.options.readOnly
        queue = ConditionLock(
            CommitQueue(readOnly: readOnly) { pending in
                var events = 0
                var bytes = 0
                for (count, item) in pending.enumerated() {
                    events += item.prepared.request.eventCount
                    bytes += item.prepared.request.size
                    if events > maxBatchEvents || bytes > maxBatchBytes { return count }
                }
                return pending.count
            })
        guard !readOnly else {
            thread = nil
            return
        }
        let (queue, bound, batchEvents, commitDuration, pressure) = (queue, self.writer, batchEvents, commitDuration, pressure)
        thread = WriterThread(name: "accord-commit") {
            Self.run(
                queue: queue, writer: bound, role: role, pressure: pressure, batchEvents: batchEvents, commitDuration: commitDuration)
        }
    }

    /// Queues `pending`; its completion runs once it is durably committed or
    /// rejected (immediately, with the refusal, when the store is closing).
    func submit(_ pending: PendingAppend) {
        submit([pending])
    }

    /// Queues a batch from one caller; the writer thread commits it (it
    /// syncs the disk, which the caller's thread, an event loop, never
    /// waits for). Returns whether the writer was idle with nothing else
    /// queued: the next commit is this batch's alone.
    @discardableResult
    func submit(_ batch: [PendingAppend]) -> Bool {
        switch queue.withLock({ $0.submit(contentsOf: batch) }) {
        case .queued:
            return false
        case .wakeWriter(let alone):
            queue.signal()
            return alone
        case .refuse(let error):
            for pending in batch { pending.complete(.failure(error)) }
            return false
        }
    }

    /// Runs `body` with the writer, holding the writer role, between commits.
    func withWriter<R>(_ body: (BatchWriter) throws -> R) rethrows -> R {
        // The writer holds the role while its window is open: ask it to apply now.
        requestApply()
        return try role.run { try body(writer.value) }
    }

    /// Whether appends are accepted (not read-only, not shutting down).
    var isAccepting: Bool { queue.withLock { $0.isAccepting } }

    /// Refuses new appends, commits everything queued, and waits for the
    /// writer thread to end. Safe to call more than once.
    func shutdown() {
        if queue.withLock({ $0.shutdown() }) { queue.signal() }
        thread?.join()
        writeback?.stop()
    }

    /// Asks the writer to apply its open window soon: a reader waits for
    /// what it acknowledged.
    func requestApply() {
        if queue.withLock({ $0.requestApply() }) { queue.signal() }
    }

    /// Sets how long the writer polls for a lone client's next append (0:
    /// never), while the pressure in `pressureFile` leaves a processor
    /// spare (`nil`: always).
    func setLonePoll(nanoseconds: UInt64, pressureFile: String?) {
        pressure.measure(path: nanoseconds > 0 ? pressureFile : nil)
        queue.withLock { $0.pollNanoseconds = nanoseconds }
    }

    /// Sets how long a window stays open at most, and without a commit
    /// (for tests that need a window held open).
    func setWindow(nanoseconds: UInt64, idleNanoseconds: UInt64) {
        queue.withLock { machine in
            machine.windowNanoseconds = nanoseconds
            machine.windowIdleNanoseconds = idleNanoseconds
        }
    }

    private typealias Queue = ConditionLock<CommitQueue<PendingAppend>>

    private static func run(
        queue: Queue, writer: WriterBound<BatchWriter>, role: WriterRole, pressure: ProcessorPressure, batchEvents: Recorder,
        commitDuration: CoreMetrics.Timer
    ) {
        let monitor = role.run { writer.value.headMonitor }
        while true {
            let batch = take(from: queue, windowOpened: nil, pressure: pressure)
            guard let batch else { break }
            let opened = Queue.now
            var started = opened
            role.run {
                writer.value.applyWindow(
                    batch,
                    next: {
                        let next = take(from: queue, windowOpened: opened, live: monitor.isObserved, pressure: pressure)
                        started = Queue.now
                        return next
                    }
                ) { batch, results in
                    commitDuration.recordNanoseconds(Int64(Queue.now - started))
                    batchEvents.record(batch.reduce(0) { $0 + $1.prepared.request.eventCount })
                    complete(batch, with: results)
                }
            }
        }
        role.run { writer.value.close() }
    }

    /// The next batch to commit, waiting for one; `nil` when the window
    /// is to be applied (or, outside one, when the store has closed).
    private static func take(
        from queue: Queue, windowOpened: UInt64?, live: Bool = false, pressure: ProcessorPressure
    ) -> [PendingAppend]? {
        // Read before the lock: a reading of the pressure file is due every 100 ms.
        let spare = pressure.isSpare(now: Queue.now)
        return queue.wait { machine in
            switch machine.next(now: Queue.now, windowOpened: windowOpened, live: live, spare: spare) {
            case .commit(let batch): .done(batch)
            case .sleep: .wait
            case .linger(let deadline): .waitUntil(deadline: deadline)
            case .poll(let deadline): .poll(deadline: deadline)
            case .exit, .apply: .done(nil)
            }
        }
    }

    /// Hands each result to its caller: here for the writer's own, else one
    /// `execute` per executor for all
    /// of its completions in this commit. Executors are the event loops (a
    /// handful), so a list searched in order groups them; each group holds
    /// indices into the batch and results, which its closure shares.
    private static func complete(
        _ batch: [PendingAppend], with results: [Result<AppendResult, any Error>]
    ) {
        var groups: [(executor: any CompletionExecutor, indices: [Int])] = []
        for index in batch.indices {
            guard let executor = batch[index].executor else {
                batch[index].complete(results[index])
                continue
            }
            if let group = groups.firstIndex(where: { $0.executor === executor }) {
                groups[group].indices.append(index)
            } else {
                groups.append((executor, [index]))
            }
        }
        for (executor, indices) in groups {
            executor.execute { for index in indices { batch[index].complete(results[index]) } }
        }
    }
}
