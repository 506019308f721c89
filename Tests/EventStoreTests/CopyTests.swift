import AccordCore
import AccordJSON
import EventStore
import Foundation
import LMDB
import Synchronization
import Testing

/// `EventStore.copy`: a replica's log written from a primary's events.
@Suite struct CopyTests {
    let primary = Fixture()
    let replica = Fixture()

    /// A primary's log of several commits, streams and principals, with commit times a second apart.
    func primaryLog() async throws -> EventStore {
        let clock = Clock()
        let store = try primary.store(clock: { clock.tick() })
        for n in 0..<40 {
            try await store.append(
                to: stream("S-\(n % 3)"), events: [event("Noted", ["n": .integer(Int64(n))]), event("Other")],
                principal: n % 2 == 0 ? "case-system" : nil)
        }
        return store
    }

    @Test func aCopyIsTheSameLogByteForByte() async throws {
        let source = try await primaryLog()
        let events = try source.readAll(from: 0, limit: 1_000)
        let copy = try replica.store(clock: { Timestamp(microseconds: 0) })
        // In uneven batches, as a subscription delivers them.
        var next = 0
        for size in [1, 7, 30, 42] where next < events.count {
            let batch = Array(events[next..<min(events.count, next + size)])
            #expect(try await copy.copy(batch) == UInt64(next + batch.count))
            next += batch.count
        }
        #expect(try copy.readAll(from: 0, limit: 1_000) == events)
        #expect(try copy.treeHead() == source.treeHead())
        #expect(try copy.root(size: 17) == source.root(size: 17))
        #expect(try copy.lastCommitAt() == source.lastCommitAt(), "the primary's commit time, not the replica's clock")
    }

    @Test func aCopyThatDoesNotContinueTheLogIsRefusedAndWritesNothing() async throws {
        let source = try await primaryLog()
        let events = try source.readAll(from: 0, limit: 1_000)
        let copy = try replica.store()
        _ = try await copy.copy(Array(events[0..<10]))
        await #expect(throws: EventStoreError.self, "a gap") { try await copy.copy(Array(events[11..<20])) }
        await #expect(throws: EventStoreError.self, "a repeat") { try await copy.copy(Array(events[5..<12])) }
        var forked = events[10]
        forked.version += 1
        await #expect(throws: EventStoreError.self, "a version the stream is not at") { try await copy.copy([forked]) }
        #expect(copy.head == 10)
        #expect(try copy.readAll(from: 0, limit: 1_000) == Array(events[0..<10]))
    }
}

/// A commit clock one second a tick.
private final class Clock: Sendable {
    private let now = Mutex<Int64>(1_750_000_000_000_000)

    func tick() -> Timestamp {
        Timestamp(
            microseconds: now.withLock {
                $0 += 1_000_000
                return $0
            })
    }
}
