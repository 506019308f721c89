import AccordCore
import EventStore
import LMDB
import Testing

@Suite struct DurabilityTests {
    let fixture = Fixture()

    @Test func reopeningKeepsEverythingAndContinuesTheSequence() async throws {
        var written: [RecordedEvent] = []
        do {
            let store = try fixture.store()
            for i in 0..<20 { try await store.append(to: stream("S\(i % 3)"), events: [event()]) }
            written = try store.readAll(limit: 100)
            store.close()
        }
        let store = try fixture.store()
        #expect(store.head == 20)
        #expect(try store.readAll(limit: 100) == written)
        let next = try await store.append(to: stream("S0"), expected: .exact(6), events: [event()])
        #expect(next.positions == 20..<21)
        #expect(next.streamVersion == 7)
    }

    @Test func theMapGrowsUnderAppends() async throws {
        let store = try fixture.store(mapSize: 1 << 20, maxMapSize: 256 << 20)
        let big = String(repeating: "x", count: 2_000)
        for i in 0..<20 {
            try await store.append(
                to: stream("S"), events: (0..<50).map { _ in event("Big", ["i": .integer(Int64(i)), "pad": .string(big)]) })
        }
        #expect(store.head == 1_000)
        #expect(store.environment.mapSize > 1 << 20)
    }

    @Test func aFullMapRefusesAppendsWithStorageFullAndReadsKeepWorking() async throws {
        let store = try fixture.store(mapSize: 1 << 20, maxMapSize: 2 << 20)
        let big = String(repeating: "x", count: 3_000)
        var full: EventStoreError?
        var i = 0
        while full == nil, i < 10_000 {
            do {
                try await store.append(to: stream("S"), events: (0..<10).map { _ in event("Big", ["pad": .string(big)]) })
            } catch let error as EventStoreError {
                full = error
            }
            i += 1
        }
        guard case .storageFull(let message)? = full else {
            Issue.record("expected storageFull, got \(String(describing: full))")
            return
        }
        #expect(message.contains("storage is full"))
        let head = store.head
        #expect(head > 0)
        #expect(try store.readAll(limit: 100_000).count == Int(head))
        #expect(try store.event(at: head - 1) != nil)
    }

    /// Eight appenders share windows of many commits as the map fills: each
    /// is refused `storageFull` and nothing else (a window whose commit met
    /// the full map after acknowledging would leave the store refusing
    /// everything), and every acknowledged append is there after a reopen.
    @Test func appendersSharingWindowsMeetAFullMapOnlyAsStorageFull() async throws {
        let big = String(repeating: "y", count: 1_500)
        let (acknowledged, errors) = try await withThrowingTaskGroup(of: (Position?, (any Error)?).self) { group in
            let store = try fixture.store(mapSize: 1 << 20, maxMapSize: 3 << 20)
            for writer in 0..<8 {
                group.addTask {
                    var last: Position?
                    for _ in 0..<10_000 {
                        do {
                            let result = try await store.append(
                                to: stream("W\(writer)"), events: (0..<3).map { _ in event("Big", ["pad": .string(big)]) })
                            last = result.positions.upperBound - 1
                        } catch {
                            return (last, error)
                        }
                    }
                    return (last, nil)
                }
            }
            var highest: Position = 0
            var errors: [String] = []
            for try await (last, error) in group {
                errors.append("\(String(describing: last)) \(String(describing: error))")
                guard case .storageFull? = error as? EventStoreError else {
                    Issue.record("expected storageFull, got \(String(describing: error))")
                    continue
                }
                highest = max(highest, last.map { $0 + 1 } ?? 0)
            }
            store.close()
            return (highest, errors)
        }
        #expect(acknowledged > 0, "\(errors)")
        let reopened = try fixture.store(mapSize: 1 << 20, maxMapSize: 3 << 20)
        #expect(reopened.head >= acknowledged)
        #expect(try reopened.readAll(limit: 100_000).count == Int(reopened.head))
    }

    @Test func aNewerStorageFormatIsRefusedWithAClearMessage() throws {
        do {
            let env = try fixture.environment()
            _ = try EventStore(environment: env).close()
            let meta = try env.read { try Database<String, UInt64>.open("meta", in: $0, create: false)! }
            try env.write { try $0.put(meta, "format", 99) }
        }
        #expect {
            _ = try fixture.store()
        } throws: { error in
            guard let error = error as? EventStoreError, case .unsupportedFormat(99, 4) = error else { return false }
            return error.description.contains("upgrade Accord")
        }
    }
}
