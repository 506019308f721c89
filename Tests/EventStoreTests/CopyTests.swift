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

    func primaryLog() async throws -> EventStore { try await sampleLog(in: primary) }

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

/// `EventStore.copy(_: StoredRecords)`: a replica's bulk copy of the primary's stored bytes.
@Suite struct StoredRecordsCopyTests {
    let primary = Fixture()
    let replica = Fixture()

    func primaryLog() async throws -> EventStore { try await sampleLog(in: primary) }

    @Test func storedRecordsAreCopiedAsTheyAreInPagesOfAnySize() async throws {
        let source = try await primaryLog()
        let copy = try replica.store(clock: { Timestamp(microseconds: 0) })
        var next: Position = 0
        for (limit, maxBytes) in [(1, 1 << 20), (7, 1 << 20), (1_000, 700), (1_000, 1 << 20)] where next < source.head {
            let page = try source.storedRecords(from: next, limit: limit, maxBytes: maxBytes)
            #expect(page.count >= 1, "at least one record, whatever the byte bound")
            #expect(page.next == next + Position(page.count))
            #expect(try await copy.copy(page.records) == page.next)
            next = page.next
        }
        #expect(next == source.head)
        #expect(
            try copy.storedRecords(from: 0, limit: 1_000, maxBytes: 1 << 20).records.framed
                == source.storedRecords(from: 0, limit: 1_000, maxBytes: 1 << 20).records.framed)
        #expect(try copy.readAll(from: 0, limit: 1_000) == source.readAll(from: 0, limit: 1_000))
        #expect(try copy.readStream(stream("S-1"), limit: 1_000) == source.readStream(stream("S-1"), limit: 1_000))
        #expect(try copy.treeHead() == source.treeHead())
        #expect(try copy.root(size: 33) == source.root(size: 33))
        #expect(try copy.lastCommitAt() == source.lastCommitAt())
        #expect(try source.storedRecords(from: source.head, limit: 10, maxBytes: 1 << 20).count == 0)
    }

    @Test func storedRecordsThatDoNotContinueTheLogAreRefusedAndWriteNothing() async throws {
        let source = try await primaryLog()
        let page = { (from: Position, limit: Int) in try source.storedRecords(from: from, limit: limit, maxBytes: 1 << 20).records }
        let copy = try replica.store()
        _ = try await copy.copy(try page(0, 10))
        await #expect(throws: EventStoreError.self, "a gap") { try await copy.copy(try page(11, 9)) }
        await #expect(throws: EventStoreError.self, "a repeat") { try await copy.copy(try page(5, 7)) }

        let next = try page(10, 1)
        var forked = next
        forked.framed[4 + 16] ^= 1  // the record's stream version (after the frame's length, format and position)
        await #expect(throws: EventStoreError.self, "a version its stream is not at") { try await copy.copy(forked) }
        var unknown = next
        unknown.framed[4] = 9  // the record format
        await #expect(throws: EventStoreError.self, "a format this store does not read") { try await copy.copy(unknown) }
        var truncated = try page(10, 3)
        truncated.framed.removeLast()
        await #expect(throws: EventStoreError.self, "a truncated frame") { try await copy.copy(truncated) }
        var repeated = next
        repeated.framed += try page(10, 1).framed
        await #expect(throws: EventStoreError.self, "one position twice") { try await copy.copy(repeated) }

        #expect(copy.head == 10)
        #expect(try copy.readAll(from: 0, limit: 1_000) == source.readAll(from: 0, limit: 10))
        #expect(try await copy.copy(next) == 11, "the log is as it was: the right record still continues it")
    }
}

/// A primary's log of several commits, streams and principals (text that
/// needs escaping in JSON included), with commit times a second apart.
private func sampleLog(in fixture: Fixture) async throws -> EventStore {
    let clock = Clock()
    let store = try fixture.store(clock: { clock.tick() })
    for n in 0..<40 {
        try await store.append(
            to: stream("S-\(n % 3)"), events: [event("Noted", ["n": .integer(Int64(n)), "text": "é\"\\\n"]), event("Other")],
            principal: n % 2 == 0 ? "case-system" : nil)
    }
    return store
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
