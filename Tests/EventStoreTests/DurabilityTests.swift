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
