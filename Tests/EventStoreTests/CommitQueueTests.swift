import Testing

@testable import EventStore

/// The group committer's decisions, without threads: when the writer is
/// woken, when it lingers, what a batch takes, and how it closes.
@Suite struct CommitQueueTests {
    /// Batches of at most `limit` items.
    func machine(limit: Int = .max, readOnly: Bool = false) -> CommitQueue<Int> {
        CommitQueue(readOnly: readOnly) { items in min(items.count, limit) }
    }

    @Test func aSleepingWriterIsWokenOnceAndTakesEverything() {
        var queue = machine()
        guard case .sleep = queue.next(now: 0) else {
            Issue.record("an idle writer sleeps")
            return
        }
        guard case .wakeWriter = queue.submit(1) else {
            Issue.record("the first append wakes it")
            return
        }
        guard case .queued = queue.submit(2) else {
            Issue.record("later ones do not")
            return
        }
        guard case .commit(let batch) = queue.next(now: 0) else {
            Issue.record("it commits")
            return
        }
        #expect(batch == [1, 2])
    }

    @Test func batchesRespectTheirLimit() {
        var queue = machine(limit: 2)
        for item in 1...5 { _ = queue.submit(item) }
        var batches: [[Int]] = []
        while case .commit(let batch) = queue.next(now: 0) { batches.append(batch) }
        #expect(batches == [[1, 2], [3, 4], [5]])
    }

    @Test func underLoadTheWriterLingersForAsManyAsLastTime() {
        var queue = machine()
        let last = CommitQueue<Int>.lingerFrom
        for item in 0..<last { _ = queue.submit(item) }
        guard case .commit = queue.next(now: 0) else {
            Issue.record("commits the first batch")
            return
        }
        _ = queue.submit(100)
        guard case .linger(let deadline) = queue.next(now: 1_000) else {
            Issue.record("lingers for the rest")
            return
        }
        #expect(deadline == 1_000 + CommitQueue<Int>.lingerNanoseconds)
        for item in 1..<(last - 1) {
            guard case .queued = queue.submit(100 + item) else {
                Issue.record("no wake before enough")
                return
            }
        }
        guard case .wakeWriter = queue.submit(999) else {
            Issue.record("the last one of as many wakes it")
            return
        }
        guard case .commit(let batch) = queue.next(now: 2_000) else {
            Issue.record("then commits")
            return
        }
        #expect(batch.count == last)
    }

    @Test func aLingerEndsAtItsDeadline() {
        var queue = machine()
        for item in 0..<CommitQueue<Int>.lingerFrom { _ = queue.submit(item) }
        _ = queue.next(now: 0)
        _ = queue.submit(1)
        guard case .linger(let deadline) = queue.next(now: 0) else {
            Issue.record("lingers")
            return
        }
        guard case .linger = queue.next(now: deadline - 1) else {
            Issue.record("a spurious wake lingers on")
            return
        }
        guard case .commit(let batch) = queue.next(now: deadline) else {
            Issue.record("commits at the deadline")
            return
        }
        #expect(batch == [1])
    }

    @Test func shutdownDrainsThenExitsAndRefusesNewAppends() {
        var queue = machine(limit: 1)
        _ = queue.submit(1)
        _ = queue.submit(2)
        let woke = queue.shutdown()
        #expect(!woke, "a busy writer needs no wake")
        guard case .refuse(.shuttingDown) = queue.submit(3) else {
            Issue.record("refused while draining")
            return
        }
        guard case .commit([1]) = queue.next(now: 0), case .commit([2]) = queue.next(now: 0) else {
            Issue.record("drains")
            return
        }
        guard case .exit = queue.next(now: 0) else {
            Issue.record("then exits")
            return
        }
        guard case .refuse(.shuttingDown) = queue.submit(4) else {
            Issue.record("refused once stopped")
            return
        }
    }

    @Test func aSleepingWriterIsWokenToExit() {
        var queue = machine()
        _ = queue.next(now: 0)
        let first = queue.shutdown()
        let second = queue.shutdown()
        #expect(first)
        #expect(!second, "shutting down twice wakes once")
    }

    @Test func aReadOnlyStoreRefusesAsReadOnly() {
        var queue = machine(readOnly: true)
        guard case .refuse(.readOnly) = queue.submit(1) else {
            Issue.record("read-only")
            return
        }
        #expect(!queue.isAccepting)
    }

    @Test func aBatchWakesAnIdleWriterOnceAndQueuesBehindABusyOne() {
        var queue = machine()
        _ = queue.next(now: 0)
        guard case .wakeWriter = queue.submit(contentsOf: [1, 2, 3, 4, 5]) else {
            Issue.record("an idle writer is woken")
            return
        }
        guard case .queued = queue.submit(contentsOf: [6]) else {
            Issue.record("busy")
            return
        }
    }
}
