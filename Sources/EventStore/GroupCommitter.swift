import CoreMetrics
import Foundation

/// The single writer: drains every pending append into one transaction and one
/// sync, then resumes the callers. Under load (the last batch held 16 requests
/// or more) it waits up to 0.3 ms for as many requests as the last batch had,
/// so that callers resumed by one commit share the next instead of half of
/// them missing it; a lone writer never waits.
///
/// It runs on a thread of its own because a commit blocks in `fsync`; neither
/// NIO event loops nor Swift's cooperative pool ever wait for the disk.
/// Lifecycle: `running` accepts appends; `draining` refuses new ones and commits
/// what is queued; `stopped` once the thread has exited.
final class GroupCommitter: @unchecked Sendable {
    private struct Pending {
        let request: AppendRequest
        let continuation: CheckedContinuation<AppendResult, any Error>
    }

    private enum Lifecycle {
        case running
        case draining
        case stopped
    }

    private let writer: BatchWriter
    private let maxBatchEvents: Int
    private let maxBatchBytes: Int
    // Guards `queue` and `lifecycle`.
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var lifecycle = Lifecycle.running
    private var lastBatch = 0
    /// How many queued requests wake the writer: 1 while it idles, the last
    /// batch's size while it lingers, never while it commits. A submitter
    /// signals only on reaching it, so a lingering writer wakes once, not
    /// once per request.
    private var wakeAt = Int.max
    private let exited = DispatchSemaphore(value: 0)
    /// Events per commit, and each commit's duration (`accord_commit_*`).
    private let batchEvents: Recorder
    private let commitDuration: CoreMetrics.Timer

    init(writer: BatchWriter, maxBatchEvents: Int, maxBatchBytes: Int, metrics: any MetricsFactory) {
        batchEvents = Recorder(label: "accord_commit_batch_events", factory: metrics)
        commitDuration = CoreMetrics.Timer(label: "accord_commit_duration_seconds", factory: metrics)
        self.writer = writer
        self.maxBatchEvents = maxBatchEvents
        self.maxBatchBytes = maxBatchBytes
        if writer.environment.options.readOnly {
            lifecycle = .stopped
            return
        }
        let thread = Thread { [self] in run() }
        thread.name = "accord-group-commit"
        thread.start()
    }

    /// Queues `request` and returns once it is durably committed or rejected.
    /// Cancelling the caller does not withdraw a queued request.
    func submit(_ request: AppendRequest) async throws -> AppendResult {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            switch lifecycle {
            case .running:
                queue.append(Pending(request: request, continuation: continuation))
                if queue.count >= wakeAt {
                    wakeAt = .max
                    condition.signal()
                }
            case .draining:
                continuation.resume(throwing: EventStoreError.shuttingDown)
            case .stopped:
                let readOnly = writer.environment.options.readOnly
                continuation.resume(throwing: readOnly ? EventStoreError.readOnly : EventStoreError.shuttingDown)
            }
        }
    }

    /// Whether appends are accepted (not read-only, not shutting down).
    var isAccepting: Bool {
        condition.lock()
        defer { condition.unlock() }
        return lifecycle == .running
    }

    /// Refuses new appends, commits everything queued, and stops the thread.
    func shutdown() {
        condition.lock()
        let wasRunning = lifecycle == .running
        if wasRunning { lifecycle = .draining }
        condition.broadcast()
        condition.unlock()
        if wasRunning { exited.wait() }
    }

    private func run() {
        while let batch = nextBatch() {
            let started = DispatchTime.now().uptimeNanoseconds
            let results = writer.commit(batch.map(\.request))
            commitDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
            batchEvents.record(batch.reduce(0) { $0 + $1.request.events.count })
            for (pending, result) in zip(batch, results) {
                pending.continuation.resume(with: result)
            }
        }
        writer.close()
        exited.signal()
    }

    /// Waits for work; `nil` once draining has emptied the queue.
    private func nextBatch() -> [Pending]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty {
            switch lifecycle {
            case .running:
                wakeAt = 1
                condition.wait()
            case .draining, .stopped:
                lifecycle = .stopped
                return nil
            }
        }
        // Under load, wait a moment for the callers just resumed by the last
        // commit, so one commit serves all of them instead of half.
        if lastBatch >= 16, queue.count < lastBatch {
            let deadline = Date(timeIntervalSinceNow: 0.000_3)
            repeat {
                wakeAt = lastBatch
            } while queue.count < lastBatch && condition.wait(until: deadline)
        }
        wakeAt = .max
        var events = 0
        var bytes = 0
        var count = 0
        for pending in queue {
            events += pending.request.events.count
            bytes += pending.request.size
            if count > 0, events > maxBatchEvents || bytes > maxBatchBytes { break }
            count += 1
        }
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        lastBatch = batch.count
        return batch
    }
}
