import AccordCore
import AccordTesting
import Agreements
import AgreementsTesting
import EventStore
import Registry
import Testing

/// A replica's copy of a random history: projected event by event, or in
/// bulk and rebuilt, its projections equal the primary's.
@Suite struct CopyProjectionTests {
    let primary = RegistryFixture()
    let projected = RegistryFixture()
    let bulk = RegistryFixture()

    @Test func bulkAndProjectedCopiesEndWithThePrimarysProjections() async throws {
        let (source, sourceRegistry) = try primary.open()
        var history = RandomHistory(seed: 19)
        for _ in 0..<1_200 {
            let event = history.event()
            _ = try? await source.append("DSA-\(history.rng.next() % 40)", event, on: history.day())
        }
        let events = try source.readAll(from: 0, limit: 1_000) + source.readAll(from: 1_000, limit: 1_000)
        #expect(events.count == Int(source.head))
        let expected = try sourceRegistry.storedState(source)

        let (one, oneRegistry) = try projected.open()
        for start in stride(from: 0, to: events.count, by: 97) {
            _ = try await one.copy(Array(events[start..<min(events.count, start + 97)]))
        }
        #expect(try oneRegistry.storedState(one) == expected)

        let (other, otherRegistry) = try bulk.open()
        let half = events.count / 2
        _ = try await other.copy(Array(events[..<half]), projecting: false)
        #expect(try otherRegistry.storedState(other).position == 0, "a bulk copy leaves the projections where they were")
        await #expect(throws: EventStoreError.self, "nothing projects on top of projections left behind") {
            try await other.copy(Array(events[half..<half + 1]))
        }
        _ = try await other.copy(Array(events[half...]), projecting: false)
        #expect(try otherRegistry.attach(other), "behind the log, so rebuilt")
        #expect(try otherRegistry.storedState(other) == expected)
        #expect(try other.treeHead() == source.treeHead())

        // Stored records, as `read_records` carries them: the same log, projections rebuilt the same.
        let records = RegistryFixture()
        let (stored, storedRegistry) = try records.open()
        var next: Position = 0
        while next < source.head {
            let page = try source.storedRecords(from: next, limit: 10_000, maxBytes: 64 << 10)
            #expect(try await stored.copy(page.records) == page.next)
            next = page.next
        }
        #expect(try storedRegistry.storedState(stored).position == 0, "stored records skip the hook")
        #expect(try storedRegistry.attach(stored))
        #expect(try storedRegistry.storedState(stored) == expected)
        #expect(try stored.treeHead() == source.treeHead())
        #expect(try stored.readAll(from: 0, limit: 1_000) == Array(events.prefix(1_000)))

        // Folded as the pages are copied (a new replica's bulk copy), the last stretch left to the log.
        let folding = RegistryFixture()
        let (folded, foldedRegistry) = try folding.open()
        let level = try #require(try foldedRegistry.levelState(folded), "an empty log's projections are level")
        var delta = RegisterDelta()
        next = 0
        while next < source.head - 100 {
            let page = try source.storedRecords(from: next, limit: 137, maxBytes: 1 << 20)
            let copy = try folded.prepareCopy(page.records)
            delta.append(try foldedRegistry.delta(folding: copy))
            next = try await folded.copy(copy)
        }
        _ = try await folded.copy(try source.storedRecords(from: next, limit: 1_000, maxBytes: 1 << 20).records)
        #expect(try foldedRegistry.levelState(folded) == nil, "behind the log until attached")
        try foldedRegistry.attach(folded, continuing: level, with: delta, from: 0)
        #expect(try foldedRegistry.storedState(folded) == expected)
        #expect(try foldedRegistry.levelState(folded) == expected)
        // A delta that does not start where the state ends is not trusted: the log is folded instead.
        try foldedRegistry.attach(folded, continuing: level, with: RegisterDelta(), from: 5)
        #expect(try foldedRegistry.storedState(folded) == expected)
    }

    @Test func aCopyTheRulesRefuseWritesNothing() async throws {
        let (source, _) = try primary.open()
        var history = RandomHistory(seed: 23)
        for _ in 0..<400 {
            let event = history.event()
            _ = try? await source.append("DSA-\(history.rng.next() % 10)", event, on: history.day())
        }
        var events = try source.readAll(from: 0, limit: 1_000)
        let (copy, registry) = try projected.open()
        // A later run of the copy breaks the rules (an approval of an agreement never proposed):
        // the copy is one request, so its earlier runs are not kept either.
        let approval = try #require(events.lastIndex { $0.type == "AgreementApproved" })
        #expect(approval > 0)
        let forged = approval
        events[forged].stream = try StreamName("DSA-NEVER-PROPOSED")
        events[forged].version = 0
        await #expect(throws: (any Error).self) { try await copy.copy(events) }
        #expect(copy.head == 0)
        #expect(try registry.storedState(copy).agreements.isEmpty)
    }
}
