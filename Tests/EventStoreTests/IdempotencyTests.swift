import AccordCore
import AccordJSON
import EventStore
import Foundation
import Testing

@Suite struct IdempotencyTests {
    let fixture = Fixture()

    @Test func aRetriedRequestReturnsTheOriginalResultAndWritesNothing() async throws {
        let store = try fixture.store()
        let events = [event("A", ["n": 1]), event("B", ["n": 2])]
        let first = try await store.append(to: stream("S"), expected: .noStream, events: events)
        try await store.append(to: stream("Other"), events: [event()])
        let retry = try await store.append(to: stream("S"), expected: .noStream, events: events)
        #expect(!first.wasDuplicate)
        #expect(retry.wasDuplicate)
        #expect(retry.positions == first.positions)
        #expect(retry.streamVersion == first.streamVersion)
        #expect(retry.recordedAt == first.recordedAt)
        #expect(store.head == 3)
    }

    @Test func duplicatesInTheSameGroupCommitAreWrittenOnce() async throws {
        let store = try fixture.store()
        let events = [event("A", ["n": 1])]
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for _ in 0..<50 { group.addTask { try await store.append(to: stream("S"), events: events) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results.map(\.positions)) == [0..<1])
        #expect(results.filter { !$0.wasDuplicate }.count == 1)
        #expect(store.head == 1)
    }

    @Test func anIdReusedForDifferentContentIsAConflict() async throws {
        let store = try fixture.store()
        let id = UUID()
        try await store.append(to: stream("S"), events: [event("A", ["n": 1], id: id)])
        await #expect(throws: EventStoreError.eventIdConflict(eventId: id, existingPosition: 0, sameEvent: false)) {
            try await store.append(to: stream("S"), events: [event("A", ["n": 2], id: id)])
        }
        await #expect(throws: EventStoreError.eventIdConflict(eventId: id, existingPosition: 0, sameEvent: false)) {
            try await store.append(to: stream("T"), events: [event("A", ["n": 1], id: id)])
        }
        await #expect(throws: EventStoreError.eventIdConflict(eventId: id, existingPosition: 0, sameEvent: true)) {
            try await store.append(to: stream("S"), events: [event("A", ["n": 1], id: id), event()])
        }
        #expect(store.head == 1)
    }

    @Test func aPartlyNewRequestIsAConflictAndWritesNothing() async throws {
        let store = try fixture.store()
        let old = event()
        try await store.append(to: stream("S"), events: [old])
        let error = await #expect(throws: EventStoreError.self) {
            try await store.append(to: stream("S"), events: [event(), old])
        }
        #expect(error == .eventIdConflict(eventId: old.eventId, existingPosition: 0, sameEvent: true))
        #expect(error?.message.hasSuffix("by another request; send new events in an append of their own") == true)
        #expect(store.head == 1)
    }

    @Test func theSameJSONWrittenDifferentlyIsTheSameContent() async throws {
        let store = try fixture.store()
        let id = UUID()
        let a = NewEvent(eventId: id, type: "T", data: try CanonicalJSON(parsing: Array(#"{"b": 2, "a": [1, 2.50]}"#.utf8)))
        let b = NewEvent(eventId: id, type: "T", data: try CanonicalJSON(parsing: Array(#"{"a":[1,2.5],"b":2}"#.utf8)))
        try await store.append(to: stream("S"), events: [a])
        let retry = try await store.append(to: stream("S"), events: [b])
        #expect(retry.wasDuplicate)
        #expect(try store.event(withId: id)?.data.text == #"{"a":[1,2.5],"b":2}"#)
    }
}
