import Testing

@testable import EventStore

/// When the writer applies an open window of commits to LMDB, without threads.
@Suite struct CommitWindowTests {
    typealias Queue = CommitQueue<Int>

    /// A queue whose writer took `first` into a window opened at time 0.
    func windowOpen(with first: Int = 1) -> Queue {
        var queue = Queue(readOnly: false) { $0.count }
        _ = queue.submit(first)
        _ = queue.next(now: 0)
        return queue
    }

    @Test func anIdleWindowWaitsForTheNextCommitThenApplies() {
        var queue = windowOpen()
        let idle = queue.windowIdleNanoseconds
        #expect(queue.next(now: 10, windowOpened: 0) == .linger(deadline: 10 + idle), "an open window waits for more")
        guard case .wakeWriter = queue.submit(2) else {
            Issue.record("an append wakes the waiting writer")
            return
        }
        #expect(queue.next(now: 20, windowOpened: 0) == .commit([2]), "it commits in the same window")
        #expect(queue.next(now: 30, windowOpened: 0) == .linger(deadline: 30 + idle), "and waits again, from now")
        #expect(queue.next(now: 30 + idle, windowOpened: 0) == .apply, "nothing came: it applies")
    }

    @Test func aWindowAppliesOnceOldEvenUnderLoad() {
        var queue = windowOpen()
        _ = queue.submit(2)
        #expect(queue.next(now: queue.windowNanoseconds, windowOpened: 0) == .apply, "an old window applies before taking more")
        #expect(queue.next(now: queue.windowNanoseconds) == .commit([2]), "the waiting append opens the next window")
    }

    @Test func whileSomethingFollowsTheHeadLiveEachCommitIsAppliedAtOnce() {
        var queue = windowOpen()
        _ = queue.submit(2)
        #expect(queue.next(now: 1, windowOpened: 0, live: true) == .apply, "a subscriber is not kept waiting for the window")
        #expect(queue.next(now: 2) == .commit([2]), "the next commit opens the next window")
    }

    @Test func aReaderWakesTheWriterToApply() {
        var queue = windowOpen()
        _ = queue.next(now: 10, windowOpened: 0)
        let woken = queue.requestApply()
        let again = queue.requestApply()
        #expect(woken, "a writer waiting in its window is woken")
        #expect(!again, "once")
        #expect(queue.next(now: 20, windowOpened: 0) == .apply, "it applies at once")
        #expect(queue.next(now: 30) == .sleep, "then sleeps: the request was served")
        _ = queue.submit(3)
        _ = queue.next(now: 40)
        #expect(
            queue.next(now: 50, windowOpened: 40) == .linger(deadline: 50 + queue.windowIdleNanoseconds),
            "a served request does not cut the next window short")
    }

    @Test func aRequestWhileCommittingAppliesAfterTheCommit() {
        var queue = windowOpen()
        let woken = queue.requestApply()
        #expect(!woken, "a busy writer is not woken")
        _ = queue.submit(2)
        #expect(queue.next(now: 10, windowOpened: 0) == .apply, "it applies before taking the next commit")
    }

    @Test func aClosingStoreAppliesItsWindowThenExits() {
        var queue = windowOpen()
        _ = queue.submit(2)
        let wake = queue.shutdown()
        #expect(!wake)
        #expect(queue.next(now: 10, windowOpened: 0) == .commit([2]), "what was queued is committed")
        #expect(queue.next(now: 20, windowOpened: 0) == .apply, "then the window is applied")
        #expect(queue.next(now: 30) == .exit, "and the writer ends")
    }
}
