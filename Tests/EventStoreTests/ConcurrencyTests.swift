import AccordCore
import EventStore
import Testing

@Suite struct ConcurrencyTests {
    let fixture = Fixture()

    @Test func concurrentAppendersGetDenseUniquePositions() async throws {
        let store = try fixture.store()
        let tasks = 32
        let appendsPerTask = 500
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<tasks {
                group.addTask {
                    for i in 0..<appendsPerTask {
                        try await store.append(
                            to: stream("S\(t % 8)"), events: [event("E", ["t": .integer(Int64(t)), "i": .integer(Int64(i))])])
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = tasks * appendsPerTask
        #expect(store.head == Position(total))
        let all = try store.readAll(limit: total + 10)
        #expect(all.map(\.position) == Array(0..<Position(total)))
        #expect(Set(all.map(\.eventId)).count == total)
        for s in 0..<8 {
            let events = try store.readStream(stream("S\(s)"), limit: total)
            #expect(events.map(\.version) == Array(0..<StreamVersion(events.count)))
            #expect(events.count == total / 8)
            #expect(events.map(\.position) == events.map(\.position).sorted())
        }
        // Each task's own appends keep their order in the log.
        for t in 0..<tasks {
            let mine = all.filter { (try? $0.data.value()["t"]) == .integer(Int64(t)) }
            #expect(mine.compactMap { try? $0.data.value()["i"]?.int64Value } == (0..<Int64(appendsPerTask)).map { $0 })
        }
    }

    @Test func headUpdatesAreObservable() async throws {
        let store = try fixture.store()
        var updates = store.headUpdates().makeAsyncIterator()
        #expect(await updates.next() == 0)
        try await store.append(to: stream("A"), events: [event(), event()])
        #expect(await updates.next() == 2)
    }

    @Test func closeCommitsWhatIsQueuedThenRefusesAppends() async throws {
        let store = try fixture.store()
        try await store.append(to: stream("A"), events: [event()])
        store.close()
        await #expect(throws: EventStoreError.shuttingDown) {
            try await store.append(to: stream("A"), events: [event()])
        }
        #expect(try store.readAll().count == 1)
    }
}
