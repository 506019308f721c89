import AccordCore
import AccordJSON
import AccordTesting
import Dispatch
import Foundation
import LMDB
import Testing

@testable import EventStore

/// Commits share LMDB transactions (windows): each is acknowledged once its
/// segment record is synced, and readable once LMDB applies its window.
@Suite struct WindowTests {
    let fixture = Fixture()

    /// Appends through `submit`, which answers at acknowledgement (not readability, as `append` does).
    static func submitted(_ store: EventStore, _ new: NewEvent = event(), to name: String = "S") async throws -> AppendResult {
        let prepared = try store.prepare(to: stream(name), events: [new])
        return try await withCheckedThrowingContinuation { continuation in
            store.submit(prepared) { continuation.resume(with: $0) }
        }
    }

    /// Appends one event and runs `inside` on the writer thread right after
    /// it is acknowledged, while its window is still open (the writer waits).
    static func holdingTheWindow(_ store: EventStore, _ inside: @escaping @Sendable (AppendResult) -> Void) async throws -> AppendResult {
        let prepared = try store.prepare(to: stream("S"), events: [event()])
        return try await withCheckedThrowingContinuation { continuation in
            store.submit(prepared) { result in
                if case .success(let appended) = result { inside(appended) }
                continuation.resume(with: result)
            }
        }
    }

    @Test func anAppendIsAcknowledgedBeforeItsWindowIsReadable() async throws {
        let store = try fixture.store()
        let seen = Box<(head: Position, durable: Position)?>(nil)
        let result = try await Self.holdingTheWindow(store) { _ in seen.value = (store.head, store.durableHead) }
        #expect(seen.value?.head == 0)
        #expect(seen.value?.durable == 1)
        #expect(result.positions == 0..<1)
        try await store.waitUntilReadable()
        #expect(store.head == 1)
        #expect(try store.readAll(limit: 10).count == 1)
    }

    @Test func aReaderWaitsForTheOpenWindowAndIsServedWhenItApplies() async throws {
        let store = try fixture.store()
        // The writer thread (never one of Swift's pool) waits; the test awaits without blocking a thread.
        let release = DispatchSemaphore(value: 0)
        let (acknowledged, signal) = AsyncStream<Void>.makeStream()
        let served = Box(false)
        async let appended = Self.holdingTheWindow(store) { _ in
            signal.yield()
            release.wait()
        }
        for await _ in acknowledged { break }
        // The writer holds its window open: the event is durable, not yet readable.
        #expect(store.durableHead == 1)
        #expect(try store.readAll(limit: 10).isEmpty)
        store.whenReadable(on: nil) { result in served.value = (try? result.get()) != nil }
        #expect(!served.value)
        release.signal()
        _ = try await appended
        try await store.waitUntilReadable()
        #expect(served.value)
        #expect(try store.readAll(limit: 10).count == 1)
    }

    @Test func aHotCopyTakenMidWindowGetsTheWindowFromTheSegment() async throws {
        let store = try fixture.store()
        for i in 0..<5 { try await store.append(to: stream("S\(i % 2)"), events: [event()]) }
        let copy = TemporaryDirectory("copy")
        let release = DispatchSemaphore(value: 0)
        let (acknowledged, signal) = AsyncStream<Void>.makeStream()
        async let appended = Self.holdingTheWindow(store) { _ in
            signal.yield()
            release.wait()
        }
        for await _ in acknowledged { break }
        // As `accord backup` does: the segment first, then the data file's snapshot.
        let commits = try EventStore.writeAheadCommits(in: fixture.dir.path)
        try store.environment.copy(to: copy.path)
        release.signal()
        _ = try await appended
        var options = Environment.Options()
        options.durability = .synced
        let copied = try EventStore(environment: Environment(path: copy.path, options: options))
        #expect(copied.head == 5, "the snapshot lacks the acknowledged append")
        #expect(try copied.apply(commits) == 1)
        #expect(copied.head == 6)
        try await store.waitUntilReadable()
        #expect(try copied.readAll(limit: 10) == store.readAll(limit: 10))
        #expect(try copied.treeHead() == store.treeHead())
        #expect(try copied.apply(commits) == 0, "applied once")
    }

    @Test func theMapGrowingMidWindowWritesTheAcknowledgedCommitsAgain() async throws {
        let store = try fixture.store(mapSize: 1 << 20)
        // One window for the whole chain: each append is submitted by the last one's acknowledgement.
        store.committer.setWindow(nanoseconds: 60_000_000_000, idleNanoseconds: 60_000_000_000)
        let pad = JSONValue.string(String(repeating: "x", count: 2_000))
        let count = 800
        let positions = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Position], any Error>) in
            let chain = Chain(store: store, pad: pad, count: count, continuation: continuation)
            chain.submit()
        }
        #expect(store.committer.withWriter { $0.windowsWrittenAgain } > 0, "the map grew while the window held acknowledged commits")
        #expect(positions == (0..<Position(count)).map { $0 })
        try await store.waitUntilReadable()
        #expect(store.head == Position(count))
        #expect(try store.read { try LogVerifier(store: store).verify(in: $0) }.problem == nil)
        #expect(try store.readAll(limit: 10_000).map(\.position) == positions)
    }

    /// Appends that each submit the next from their acknowledgement, on the writer thread.
    final class Chain: @unchecked Sendable {
        let store: EventStore
        let pad: JSONValue
        let count: Int
        let continuation: CheckedContinuation<[Position], any Error>
        var positions: [Position] = []

        init(store: EventStore, pad: JSONValue, count: Int, continuation: CheckedContinuation<[Position], any Error>) {
            (self.store, self.pad, self.count, self.continuation) = (store, pad, count, continuation)
        }

        func submit() {
            do {
                let n = positions.count
                let prepared = try store.prepare(to: stream("S\(n % 7)"), events: [event("Noted", ["n": .integer(Int64(n)), "pad": pad])])
                store.submit(prepared) { result in
                    switch result {
                    case .success(let appended):
                        self.positions.append(appended.positions.lowerBound)
                        if self.positions.count == self.count { self.continuation.resume(returning: self.positions) } else { self.submit() }
                    case .failure(let error):
                        self.continuation.resume(throwing: error)
                    }
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

/// A value written on one thread and read on another after a hand-off that orders them.
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
