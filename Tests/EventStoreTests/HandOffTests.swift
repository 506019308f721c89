import Synchronization
import Testing

@testable import EventStore

/// Hand-offs whose receiver watches instead of sleeping: each handed item
/// arrives exactly once, whichever side is first. Real threads.
@Suite struct HandOffTests {
    /// Counters and flags the threads share.
    final class Shared: Sendable {
        let flag = Atomic(false)
        let value = Atomic(0)
        let go = Atomic(0)
        let delivered = Atomic(0)
        let byWatcher = Atomic(0)
        let byDeliverer = Atomic(0)
    }

    /// A liveness bound only: a watch that saw its signal returns in microseconds.
    static let patience: UInt64 = 60_000_000_000

    @Test func aPollingWaiterSeesTheSignalBeforeItsDeadline() {
        let lock = ConditionLock(0)
        let shared = Shared()
        let deadline = Spin.now + Self.patience
        let waiter = WriterThread(name: "poller") {
            let value = lock.wait { state -> ConditionLock<Int>.Decision<Int> in
                if state > 0 { return .done(state) }
                shared.flag.store(true, ordering: .releasing)
                return .poll(deadline: deadline)
            }
            shared.value.store(value, ordering: .releasing)
        }
        Spin.until(deadline: deadline) { shared.flag.load(ordering: .acquiring) }
        lock.withLock { $0 = 7 }
        lock.signal()
        waiter.join()
        #expect(shared.value.load(ordering: .acquiring) == 7)
        #expect(Spin.now < deadline, "the signal ended the poll, not its deadline")
    }

    @Test func aDeliveryWhileArmedIsTakenAndRunsOnce() {
        let handOff = CompletionHandOff()
        let shared = Shared()
        handOff.arm()
        #expect(handOff.deliver { shared.value.add(1, ordering: .relaxed) })
        handOff.take(until: 0)?()
        #expect(shared.value.load(ordering: .relaxed) == 1)
        #expect(handOff.take(until: 0) == nil, "taken once")
    }

    @Test func withoutAWatcherTheDelivererKeepsTheWork() {
        let handOff = CompletionHandOff()
        #expect(!handOff.deliver {}, "never armed")
        handOff.arm()
        #expect(handOff.take(until: 0) == nil, "the watcher gave up")
        #expect(!handOff.deliver {}, "so the deliverer hands it over the usual way")
    }

    @Test func aWatcherTakesWhatAnotherThreadDelivers() {
        let handOff = CompletionHandOff()
        handOff.arm()
        let deliverer = WriterThread(name: "deliverer") { _ = handOff.deliver {} }
        let deadline = Spin.now + Self.patience
        let work = handOff.take(until: deadline)
        deliverer.join()
        #expect(work != nil)
        #expect(Spin.now < deadline)
    }

    /// Deliveries racing watchers that give up after a few microseconds:
    /// each piece of work runs exactly once, by the watcher or the usual way.
    @Test func racingDeliveriesRunEachWorkExactlyOnce() {
        let rounds = 2_000
        let handOff = CompletionHandOff()
        let shared = Shared()
        let deliverer = WriterThread(name: "deliverer") {
            for round in 1...rounds {
                Spin.until(deadline: .max) { shared.go.load(ordering: .acquiring) == round }
                if !handOff.deliver({ shared.byWatcher.add(1, ordering: .relaxed) }) { shared.byDeliverer.add(1, ordering: .relaxed) }
                shared.delivered.store(round, ordering: .releasing)
            }
        }
        for round in 1...rounds {
            handOff.arm()
            shared.go.store(round, ordering: .releasing)
            handOff.take(until: Spin.now + UInt64(round % 7) * 1_000)?()
            Spin.until(deadline: .max) { shared.delivered.load(ordering: .acquiring) == round }
            // A delivery that came after the watcher gave up was refused, never left behind.
            #expect(handOff.take(until: 0) == nil)
        }
        deliverer.join()
        #expect(shared.byWatcher.load(ordering: .relaxed) + shared.byDeliverer.load(ordering: .relaxed) == rounds)
    }
}
