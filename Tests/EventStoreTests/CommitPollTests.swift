import Testing

@testable import EventStore

/// A lone client's appends: the writer watches for the next one instead of
/// sleeping, and a submit says when its commit is the next, alone. Without threads.
@Suite struct CommitPollTests {
    typealias Queue = CommitQueue<Int>

    /// A queue whose writer polls as a server's does (a store's writer does not until told).
    static func polling() -> Queue {
        var queue = Queue(readOnly: false) { $0.count }
        queue.pollNanoseconds = 300_000
        return queue
    }

    /// A writer that slept, was woken by `first` and committed it alone.
    func committedAlone(_ first: Int = 1) -> Queue {
        var queue = Self.polling()
        _ = queue.next(now: 0)
        _ = queue.submit(first)
        _ = queue.next(now: 1)
        return queue
    }

    @Test func aLoneAppendsCommitIsFollowedByAPollThenSleep() {
        var queue = Self.polling()
        #expect(queue.next(now: 0) == .sleep, "nothing committed yet: no poll")
        let submitted1 = queue.submit(1)
        #expect(submitted1 == .wakeWriter(alone: true), "a sleeping writer and an empty queue: alone")
        #expect(queue.next(now: 10) == .commit([1]))
        #expect(queue.next(now: 20) == .poll(deadline: 20 + queue.pollNanoseconds), "then it watches for the next")
        #expect(queue.next(now: 20 + queue.pollNanoseconds) == .sleep, "nothing came: it sleeps, without polling again")
    }

    @Test func aMachineWithoutASpareProcessorIsNotPolledOn() {
        var queue = committedAlone()
        #expect(queue.next(now: 2, spare: false) == .sleep, "tasks wait for a processor: the writer sleeps")
        _ = queue.submit(2)
        #expect(queue.next(now: 3) == .commit([2]))
        #expect(queue.next(now: 4) == .poll(deadline: 4 + queue.pollNanoseconds), "a spare processor again: it polls")
    }

    @Test func aSubmitWhilePollingWakesTheWriterAndIsAlone() {
        var queue = committedAlone()
        _ = queue.next(now: 2)
        let submitted2 = queue.submit(2)
        #expect(submitted2 == .wakeWriter(alone: true), "the poller is woken as a sleeper is")
        let submitted3 = queue.submit(3)
        #expect(submitted3 == .queued, "once")
        #expect(queue.next(now: 3) == .commit([2, 3]))
        #expect(queue.next(now: 4) == .sleep, "two appends were not a lone client's: no poll")
    }

    @Test func aSubmitBehindOthersOrABusyWriterIsNotAlone() {
        var queue = Self.polling()
        let submitted1 = queue.submit(1)
        #expect(submitted1 == .queued, "a busy writer is not woken, and nothing is alone behind it")
        _ = queue.next(now: 0)
        #expect(queue.next(now: 1) == .poll(deadline: 1 + queue.pollNanoseconds))
        _ = queue.next(now: 1 + queue.pollNanoseconds)
        let first = queue.submit(2)
        let second = queue.submit(3)
        #expect(first == .wakeWriter(alone: true))
        #expect(second == .queued)
    }

    @Test func aLingeringWriterUnderLoadIsNeverAlone() {
        var queue = Self.polling()
        for item in 0..<Queue.lingerFrom { _ = queue.submit(item) }
        _ = queue.next(now: 0)
        _ = queue.submit(100)
        guard case .linger = queue.next(now: 1) else {
            Issue.record("it lingers for a batch as large as the last")
            return
        }
        for item in 1..<(Queue.lingerFrom - 1) { _ = queue.submit(100 + item) }
        let submitted999 = queue.submit(999)
        #expect(submitted999 == .wakeWriter(alone: false))
    }

    @Test func inAWindowThePollEndsByTheIdleDeadlineAndTheWindowApplies() {
        var queue = Self.polling()
        queue.windowIdleNanoseconds = 100
        _ = queue.submit(1)
        _ = queue.next(now: 0)
        #expect(queue.next(now: 10, windowOpened: 0) == .poll(deadline: 110), "the poll ends when the idle window would")
        #expect(queue.next(now: 110, windowOpened: 0) == .apply)
        #expect(queue.next(now: 120) == .sleep, "one poll per lone commit")
    }

    @Test func aSubmitWhilePollingInAWindowIsCommittedInIt() {
        var queue = Self.polling()
        _ = queue.submit(1)
        _ = queue.next(now: 0)
        _ = queue.next(now: 10, windowOpened: 0)
        let submitted2 = queue.submit(2)
        #expect(submitted2 == .wakeWriter(alone: true))
        #expect(queue.next(now: 20, windowOpened: 0) == .commit([2]))
        #expect(queue.next(now: 30, windowOpened: 0) == .poll(deadline: 30 + queue.pollNanoseconds), "alone again: it polls again")
    }

    @Test func aReaderOrAShutdownWakesAPollingWriter() {
        var reading = committedAlone()
        _ = reading.next(now: 2, windowOpened: 1)
        let woken = reading.requestApply()
        #expect(woken, "a reader wakes the poller to apply")
        #expect(reading.next(now: 3, windowOpened: 1) == .apply)

        var closing = committedAlone()
        _ = closing.next(now: 2)
        let wake = closing.shutdown()
        #expect(wake, "closing wakes the poller")
        #expect(closing.next(now: 3) == .exit)
        let submitted4 = closing.submit(4)
        #expect(submitted4 == .refuse(.shuttingDown))
    }

    @Test func pollingCanBeTurnedOff() {
        var queue = Self.polling()
        queue.pollNanoseconds = 0
        _ = queue.submit(1)
        _ = queue.next(now: 0)
        #expect(queue.next(now: 1) == .sleep)
    }

    @Test func pollsThatSeeNothingBackOff() {
        var queue = committedAlone()
        var now: UInt64 = 10
        /// Commits one lone append, then says what the writer does next.
        func loneCommit() -> Queue.WriterAction {
            _ = queue.submit(1)
            _ = queue.next(now: now)
            now += 10
            return queue.next(now: now)
        }
        #expect(queue.next(now: now) == .poll(deadline: now + queue.pollNanoseconds))
        now += queue.pollNanoseconds
        #expect(queue.next(now: now) == .sleep, "the poll saw nothing")
        #expect(loneCommit() == .sleep, "so the next two lone commits do not poll")
        #expect(loneCommit() == .sleep)
        #expect(loneCommit() == .poll(deadline: now + queue.pollNanoseconds), "the third does")
        let submitted = queue.submit(2)
        #expect(submitted == .wakeWriter(alone: true), "and a submit while it polls resets the back-off")
        _ = queue.next(now: now)
        #expect(queue.next(now: now + 10) == .poll(deadline: now + 10 + queue.pollNanoseconds))
    }
}

/// How watching backs off after watches that saw nothing.
@Suite struct WatchBackoffTests {
    /// Which of the next `chances` the back-off watches.
    static func watched(_ backoff: inout WatchBackoff, _ chances: Int) -> [Bool] {
        (0..<chances).map { _ in backoff.shouldWatch() }
    }

    @Test func eachMissDoublesTheChancesPassedUpAndASightingResets() {
        var backoff = WatchBackoff()
        #expect(Self.watched(&backoff, 3) == [true, true, true], "no miss yet: always")
        backoff.record(seen: false)
        #expect(Self.watched(&backoff, 3) == [false, false, true])
        backoff.record(seen: false)
        #expect(Self.watched(&backoff, 5) == [false, false, false, false, true])
        backoff.record(seen: true)
        #expect(Self.watched(&backoff, 2) == [true, true])
    }

    @Test func theLongestSkipIsBounded() {
        var backoff = WatchBackoff()
        for _ in 0..<100 { backoff.record(seen: false) }
        let chances = Self.watched(&backoff, WatchBackoff.longestSkip + 1)
        #expect(chances.filter { $0 }.count == 1 && chances.last == true)
    }
}
