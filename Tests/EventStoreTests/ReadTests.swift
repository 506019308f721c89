import AccordCore
import AccordJSON
import EventStore
import Foundation
import Testing

@Suite struct ReadTests {
    let fixture = Fixture()

    func filled() async throws -> EventStore {
        let store = try fixture.store()
        for i in 0..<10 {
            try await store.append(
                to: stream(i % 2 == 0 ? "even" : "odd"), events: [event(i % 3 == 0 ? "Third" : "Other", ["i": .integer(Int64(i))])])
        }
        return store
    }

    @Test func streamsReadForwardsAndBackwardsFromAVersion() async throws {
        let store = try await filled()
        #expect(try store.readStream(stream("even"), from: 1, limit: 2).map(\.version) == [1, 2])
        #expect(try store.readStream(stream("even"), direction: .backward, limit: 3).map(\.version) == [4, 3, 2])
        #expect(try store.readStream(stream("even"), from: 2, direction: .backward, limit: 10).map(\.version) == [2, 1, 0])
        #expect(try store.readStream(stream("odd")).map(\.position) == [1, 3, 5, 7, 9])
        #expect(try store.readStream(stream("none")).isEmpty)
        // A stream whose name is a prefix of another does not see its events.
        #expect(try store.readStream(stream("eve")).isEmpty)
    }

    @Test func theGlobalLogReadsBothWaysWithTypeFilters() async throws {
        let store = try await filled()
        #expect(try store.readAll(from: 7, limit: 10).map(\.position) == [7, 8, 9])
        #expect(try store.readAll(direction: .backward, limit: 3).map(\.position) == [9, 8, 7])
        #expect(try store.readAll(from: 4, direction: .backward, limit: 2).map(\.position) == [4, 3])
        #expect(try store.readAll(types: ["Third"]).map(\.position) == [0, 3, 6, 9])
        #expect(try store.readAll(from: 1, types: ["Third"], limit: 2).map(\.position) == [3, 6])
        #expect(try store.readAll(types: ["Nothing"]).isEmpty)
    }

    @Test func singleEventsByPositionAndById() async throws {
        let store = try await filled()
        let fifth = try #require(try store.event(at: 5))
        #expect(try store.event(withId: fifth.eventId) == fifth)
        #expect(try store.event(at: 10) == nil)
        #expect(try store.streamVersion(stream("odd")) == 4)
        #expect(try store.streamVersion(stream("nope")) == nil)
    }

    @Test func dataIsStoredCanonicallyAndReadBackByteForByte() async throws {
        let store = try fixture.store()
        let text = #"{ "z": "\u00e9\n", "a": {"y": null, "x": [true, 1e3, -0.5]}, "m": 12345678901234 }"#
        let data = try CanonicalJSON(parsing: Array(text.utf8))
        try await store.append(to: stream("S"), events: [NewEvent(eventId: .init(), type: "T", data: data)])
        let expected = #"{"a":{"x":[true,1000,-0.5],"y":null},"m":12345678901234,"z":"é\n"}"#
        #expect(data.text == expected)
        for _ in 0..<3 { #expect(try store.event(at: 0)?.data.bytes == Array(expected.utf8)) }
    }
}

@Suite struct LongStreamTests {
    let fixture = Fixture()

    @Test func longStreamsReadCorrectlyAcrossMarks() async throws {
        let store = try fixture.store(mapSize: 64 << 20)
        for round in 0..<3 {
            try await store.append(to: stream("other"), events: [event()])
            try await store.append(
                to: stream("long"), events: (0..<1_000).map { i in event("E", ["v": .integer(Int64(round * 1_000 + i))]) })
        }
        let all = try store.readAll(limit: 10_000).filter { $0.stream == stream("long") }
        #expect(all.count == 3_000)
        for (from, limit) in [
            (0, 10), (0, 5_000), (1_020, 10), (1_023, 2), (1_024, 1), (2_047, 3), (2_990, 100), (2_999, 1), (3_000, 5), (500, 1_600),
        ] {
            let forward = try store.readStream(stream("long"), from: StreamVersion(from), limit: limit)
            #expect(forward == Array(all.dropFirst(from).prefix(limit)), "forward from \(from) limit \(limit)")
            let backward = try store.readStream(stream("long"), from: StreamVersion(from), direction: .backward, limit: limit)
            let expected = Array(all.prefix(min(from, 2_999) + 1).reversed().prefix(limit))
            #expect(backward == expected, "backward from \(from) limit \(limit)")
        }
        #expect(try store.readStream(stream("long"), direction: .backward, limit: 1).first?.version == 2_999)
    }

    @Test func timeOrderedIdsAreVersion7AndSortByTime() {
        let early = UUID.timeOrdered(at: Timestamp(microseconds: 1_000_000_000))
        let late = UUID.timeOrdered(at: Timestamp(microseconds: 2_000_000_000))
        #expect(early.uuidString.dropFirst(14).first == "7")
        #expect(early.uuidString < late.uuidString)
    }
}
