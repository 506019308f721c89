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
        guard case .linger(let deadline) = queue.next(now: 10, windowOpened: 0) else {
            Issue.record("an open window waits for more")
            return
        }
        #expect(deadline == 10 + queue.windowIdleNanoseconds)
        guard case .wakeWriter = queue.submit(2) else {
            Issue.record("an append wakes the waiting writer")
            return
        }
        guard case .commit(let batch) = queue.next(now: 20, windowOpened: 0) else {
            Issue.record("it commits in the same window")
            return
        }
        #expect(batch == [2])
        guard case .linger(let again) = queue.next(now: 30, windowOpened: 0) else {
            Issue.record("and waits again, from now")
            return
        }
        #expect(again == 30 + queue.windowIdleNanoseconds)
        guard case .apply = queue.next(now: again, windowOpened: 0) else {
            Issue.record("nothing came: it applies")
            return
        }
    }

    @Test func aWindowAppliesOnceOldEvenUnderLoad() {
        var queue = windowOpen()
        _ = queue.submit(2)
        guard case .apply = queue.next(now: queue.windowNanoseconds, windowOpened: 0) else {
            Issue.record("an old window applies before taking more")
            return
        }
        guard case .commit(let batch) = queue.next(now: queue.windowNanoseconds) else {
            Issue.record("the waiting append opens the next window")
            return
        }
        #expect(batch == [2])
    }

    @Test func whileSomethingFollowsTheHeadLiveEachCommitIsAppliedAtOnce() {
        var queue = windowOpen()
        _ = queue.submit(2)
        guard case .apply = queue.next(now: 1, windowOpened: 0, live: true) else {
            Issue.record("a subscriber is not kept waiting for the window")
            return
        }
        guard case .commit(let batch) = queue.next(now: 2) else {
            Issue.record("the next commit opens the next window")
            return
        }
        #expect(batch == [2])
    }

    @Test func aReaderWakesTheWriterToApply() {
        var queue = windowOpen()
        _ = queue.next(now: 10, windowOpened: 0)
        let woken = queue.requestApply()
        let again = queue.requestApply()
        #expect(woken, "a writer waiting in its window is woken")
        #expect(!again, "once")
        guard case .apply = queue.next(now: 20, windowOpened: 0) else {
            Issue.record("it applies at once")
            return
        }
        guard case .sleep = queue.next(now: 30) else {
            Issue.record("then sleeps: the request was served")
            return
        }
        _ = queue.submit(3)
        _ = queue.next(now: 40)
        guard case .linger = queue.next(now: 50, windowOpened: 40) else {
            Issue.record("a served request does not cut the next window short")
            return
        }
    }

    @Test func aRequestWhileCommittingAppliesAfterTheCommit() {
        var queue = windowOpen()
        let woken = queue.requestApply()
        #expect(!woken, "a busy writer is not woken")
        _ = queue.submit(2)
        guard case .apply = queue.next(now: 10, windowOpened: 0) else {
            Issue.record("it applies before taking the next commit")
            return
        }
    }

    @Test func aClosingStoreAppliesItsWindowThenExits() {
        var queue = windowOpen()
        _ = queue.submit(2)
        let wake = queue.shutdown()
        #expect(!wake)
        guard case .commit(let batch) = queue.next(now: 10, windowOpened: 0) else {
            Issue.record("what was queued is committed")
            return
        }
        #expect(batch == [2])
        guard case .apply = queue.next(now: 20, windowOpened: 0) else {
            Issue.record("then the window is applied")
            return
        }
        guard case .exit = queue.next(now: 30) else {
            Issue.record("and the writer ends")
            return
        }
    }
}
