import AccordCore
import AccordJSON
import EventStore
import Foundation
import LMDB
import Testing

@Suite struct AppendTests {
    let fixture = Fixture()

    @Test func positionsAndVersionsStartAtZeroAndAreDense() async throws {
        let store = try fixture.store()
        let a = try await store.append(to: stream("A"), events: [event(), event()])
        let b = try await store.append(to: stream("B"), events: [event()])
        let c = try await store.append(to: stream("A"), events: [event()])
        #expect(a.positions == 0..<2 && a.streamVersion == 1)
        #expect(b.positions == 2..<3 && b.streamVersion == 0)
        #expect(c.positions == 3..<4 && c.streamVersion == 2)
        #expect(store.head == 4)
        #expect(try store.readStream(stream("A")).map(\.version) == [0, 1, 2])
        #expect(try store.readStream(stream("A")).map(\.position) == [0, 1, 3])
    }

    @Test(arguments: [
        (ExpectedVersion.any, nil as StreamVersion?, true), (.any, 3, true),
        (.noStream, nil, true), (.noStream, 0, false),
        (.streamExists, nil, false), (.streamExists, 2, true),
        (.exact(1), 1, true), (.exact(1), 2, false), (.exact(0), nil, false),
    ])
    func expectedVersionRules(expected: ExpectedVersion, current: StreamVersion?, accepted: Bool) async throws {
        let store = try fixture.store()
        if let current {
            try await store.append(to: stream("S"), events: (0...current).map { _ in event() })
        }
        let headBefore = store.head
        do {
            let result = try await store.append(to: stream("S"), expected: expected, events: [event()])
            #expect(accepted)
            #expect(result.streamVersion == current.map { $0 + 1 } ?? 0)
        } catch let error as EventStoreError {
            #expect(!accepted)
            #expect(error == .wrongExpectedVersion(stream: stream("S"), expected: expected, actual: current))
            #expect(store.head == headBefore)
        }
    }

    @Test(arguments: [false, true]) func aRejectedRequestWritesNothing(decidesBeforeWriting: Bool) async throws {
        let store = try fixture.store(hook: RejectingHook(decidesBeforeWriting: decidesBeforeWriting))
        await #expect(throws: RejectingHook.Rejected()) {
            try await store.append(to: stream("A"), events: [event(), event("Bad", ["reject": true]), event()])
        }
        #expect(store.head == 0)
        #expect(try store.readAll().isEmpty)
        #expect(try store.streamVersion(stream("A")) == nil)
        let ok = try await store.append(to: stream("A"), expected: .noStream, events: [event()])
        #expect(ok.positions == 0..<1)
    }

    @Test(arguments: [false, true]) func oneFailingRequestDoesNotFailItsNeighboursInTheSameBatch(decidesBeforeWriting: Bool) async throws {
        let store = try fixture.store(hook: RejectingHook(decidesBeforeWriting: decidesBeforeWriting))
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for i in 0..<200 {
                group.addTask {
                    let result = try? await store.append(to: stream("S\(i)"), events: [event("E", ["reject": .bool(i % 3 == 0)])])
                    return (i, result != nil)
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        for (i, ok) in outcomes { #expect(ok == (i % 3 != 0)) }
        let accepted = outcomes.values.filter { $0 }.count
        #expect(store.head == Position(accepted))
        #expect(try store.readAll(limit: 1_000).map(\.position) == Array(0..<Position(accepted)))
    }

    @Test func emptyOversizedAndMalformedRequestsAreRefused() async throws {
        let store = try fixture.store()
        await #expect(throws: EventStoreError.self) { try await store.append(to: stream("A"), events: []) }
        await #expect(throws: EventStoreError.self) { try await store.append(to: stream("A"), events: [event("bad type!")]) }
        let id = UUID()
        await #expect(throws: EventStoreError.self) { try await store.append(to: stream("A"), events: [event(id: id), event(id: id)]) }
        let tooMany = (0...store.limits.maxEventsPerAppend).map { _ in event() }
        await #expect(throws: EventStoreError.self) { try await store.append(to: stream("A"), events: tooMany) }
        #expect(throws: CoreError.self) { try StreamName("") }
        #expect(throws: CoreError.self) { try StreamName("bad\nname") }
        #expect(store.head == 0)
    }

    @Test func recordedAtIsStampedByTheStoreAndNeverGoesBack() async throws {
        let times = LockedCounter(values: [5_000_000, 9_000_000, 1_000_000])
        let store = try fixture.store(clock: { Timestamp(microseconds: times.next()) })
        let stamps = try await [
            store.append(to: stream("A"), events: [event()]).recordedAt,
            store.append(to: stream("A"), events: [event()]).recordedAt,
            store.append(to: stream("A"), events: [event()]).recordedAt,
        ]
        #expect(stamps.map(\.microseconds) == [5_000_000, 9_000_000, 9_000_000])
        #expect(try store.readAll().map(\.recordedAt) == stamps)
    }

    @Test func principalAndOccurredAtAreStored() async throws {
        let store = try fixture.store()
        let occurred = Timestamp(rfc3339: "2024-04-04T16:08:00Z")!
        try await store.append(to: stream("A"), events: [event(occurredAt: occurred)], principal: "case-system-1")
        let recorded = try #require(try store.event(at: 0))
        #expect(recorded.principal == "case-system-1")
        #expect(recorded.occurredAt == occurred)
        #expect(recorded.effectiveAt == occurred)
    }
}

/// Hands out a fixed sequence of values to a clock closure.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int64]

    init(values: [Int64]) { self.values = values }

    func next() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return values.count > 1 ? values.removeFirst() : values[0]
    }
}

/// Claims to decide before writing, then writes and throws: the store can only
/// abandon the whole batch.
struct HalfWritingHook: AppendHook {
    struct Late: Error {}

    let decidesBeforeWriting = true

    func didAppend(_ events: [RecordedEvent], prepared: (any Sendable)?, in txn: borrowing Transaction, log: LogReader) throws -> [UInt8]? {
        guard events.contains(where: { $0.type == "Late" }) else { return nil }
        try txn.put(try Database<String, String>.open("hook_notes", in: txn, create: true)!, events[0].stream.rawValue, "written")
        throw Late()
    }
}

@Suite struct HalfWrittenRequestTests {
    let fixture = Fixture()

    /// Without a nested transaction nothing can undo one request's writes, so
    /// the batch fails as a whole and the log and the hook's writes stay as before.
    @Test func aHookThatThrowsAfterWritingFailsTheWholeBatch() async throws {
        let store = try fixture.store(hook: HalfWritingHook())
        try await store.append(to: stream("A"), events: [event()])
        await #expect(throws: EventStoreError.self) { try await store.append(to: stream("B"), events: [event("Late")]) }
        #expect(store.head == 1)
        #expect(try store.streamVersion(stream("B")) == nil)
        let notes = try store.read { txn in try Database<String, String>.open("hook_notes", in: txn, create: false) }
        #expect(notes == nil)
        let next = try await store.append(to: stream("B"), events: [event()])
        #expect(next.positions == 1..<2)
        #expect(try store.read { try LogVerifier(store: store).verify(in: $0) }.problem == nil)
    }
}

/// Counts a stream's events in its summary, as the registry counts requests.
struct CountingHook: AppendHook {
    func didAppend(_ events: [RecordedEvent], prepared: (any Sendable)?, in txn: borrowing Transaction, log: LogReader) throws -> [UInt8]? {
        guard events[0].type != "Quiet" else { return nil }
        let before = try log.streamState(events[0].stream.rawValue, in: txn)?.summary.first ?? 0
        return [before + UInt8(events.count)]
    }
}

@Suite struct StreamSummaryTests {
    let fixture = Fixture()

    @Test func aHookKeepsASummaryBesideTheStreamsVersion() async throws {
        let store = try fixture.store(hook: CountingHook())
        try await store.append(to: stream("A"), events: [event(), event()])
        try await store.append(to: stream("A"), events: [event()])
        try await store.append(to: stream("A"), events: [event("Quiet")])
        let state = try store.read { try store.log.streamState("A", in: $0) }
        #expect(state?.summary == [3])
        #expect(state?.version == 3)
        #expect(state?.position == 3)
        #expect(try store.read { try store.log.streamState("B", in: $0) } == nil)
    }
}
