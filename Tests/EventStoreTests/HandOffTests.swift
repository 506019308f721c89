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

    /// Runs `body` on a thread of its own and waits for it without holding
    /// one of Swift's few pool threads (the watching here would starve other tests).
    static func onThread(_ name: String, _ body: @escaping @Sendable () -> Void) async {
        final class Holder: @unchecked Sendable { var thread: WriterThread? }
        let holder = Holder()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            holder.thread = WriterThread(name: name) {
                body()
                continuation.resume()
            }
        }
        holder.thread?.join()  // its body has returned: the thread is ending
    }

    @Test func aPollingWaiterSeesTheSignalBeforeItsDeadline() async {
        let lock = ConditionLock(0)
        let shared = Shared()
        let deadline = Spin.now + Self.patience
        async let waiter: Void = Self.onThread("poller") {
            let value = lock.wait { state -> ConditionLock<Int>.Decision<Int> in
                if state > 0 { return .done(state) }
                shared.flag.store(true, ordering: .releasing)
                return .poll(deadline: deadline)
            }
            shared.value.store(value, ordering: .releasing)
        }
        async let signaller: Void = Self.onThread("signaller") {
            Spin.until(deadline: deadline) { shared.flag.load(ordering: .acquiring) }
            lock.withLock { $0 = 7 }
            lock.signal()
        }
        _ = await (waiter, signaller)
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

    @Test func aWatcherTakesWhatAnotherThreadDelivers() async {
        let handOff = CompletionHandOff()
        let shared = Shared()
        handOff.arm()
        let deadline = Spin.now + Self.patience
        async let watcher: Void = Self.onThread("watcher") {
            shared.flag.store(handOff.take(until: deadline) != nil, ordering: .releasing)
        }
        async let deliverer: Void = Self.onThread("deliverer") { _ = handOff.deliver {} }
        _ = await (watcher, deliverer)
        let took = shared.flag.load(ordering: .acquiring)
        #expect(took)
        #expect(Spin.now < deadline)
    }

    /// Deliveries racing watchers that give up after a few microseconds:
    /// each piece of work runs exactly once, by the watcher or the usual way.
    @Test func racingDeliveriesRunEachWorkExactlyOnce() async {
        let rounds = 500
        let handOff = CompletionHandOff()
        let shared = Shared()
        async let deliverer: Void = Self.onThread("deliverer") {
            for round in 1...rounds {
                Spin.until(deadline: .max) { shared.go.load(ordering: .acquiring) == round }
                if !handOff.deliver({ shared.byWatcher.add(1, ordering: .relaxed) }) { shared.byDeliverer.add(1, ordering: .relaxed) }
                shared.delivered.store(round, ordering: .releasing)
            }
        }
        async let watcher: Void = Self.onThread("watcher") {
            for round in 1...rounds {
                handOff.arm()
                shared.go.store(round, ordering: .releasing)
                handOff.take(until: Spin.now + UInt64(round % 7) * 1_000)?()
                Spin.until(deadline: .max) { shared.delivered.load(ordering: .acquiring) == round }
                // A delivery that came after the watcher gave up was refused, never left behind.
                if handOff.take(until: 0) != nil { shared.value.add(1, ordering: .relaxed) }
            }
        }
        _ = await (deliverer, watcher)
        #expect(shared.value.load(ordering: .relaxed) == 0, "nothing was left behind")
        #expect(shared.byWatcher.load(ordering: .relaxed) + shared.byDeliverer.load(ordering: .relaxed) == rounds)
    }
}
