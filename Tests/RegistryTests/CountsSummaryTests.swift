import Agreements
import Testing

@testable import Registry

/// The counters an agreement keeps in its stream's summary.
@Suite struct CountsSummaryTests {
    @Test func countsRoundTripCompactly() throws {
        var counts = LawEnforcementCounts()
        (counts.requests, counts.disclosures, counts.refusals) = (300, 200, 99)
        (counts.noMatches, counts.subjectsRequested, counts.subjectsDisclosed) = (1, 1_000_000, 0)
        let bytes = CountsSummary.bytes(counts)
        #expect(bytes.count == 1 + 2 + 2 + 1 + 1 + 3 + 1)
        #expect(try CountsSummary.counts(bytes) == counts)
        #expect(CountsSummary.bytes(LawEnforcementCounts()).isEmpty)
        #expect(try CountsSummary.counts([]) == LawEnforcementCounts())
    }

    /// Summaries written before the compact form: six u64 big-endian.
    @Test func fixedWidthSummariesAreStillRead() throws {
        let fields: [UInt64] = [5, 3, 1, 1, 12, 7]
        let legacy = fields.flatMap { field in withUnsafeBytes(of: field.bigEndian) { Array($0) } }
        let counts = try CountsSummary.counts(legacy)
        #expect(
            [counts.requests, counts.disclosures, counts.refusals, counts.noMatches, counts.subjectsRequested, counts.subjectsDisclosed]
                == [5, 3, 1, 1, 12, 7])
        #expect(throws: (any Error).self) { try CountsSummary.counts([1, 0x80]) }
        #expect(throws: (any Error).self) { try CountsSummary.counts([0, 0, 1]) }
    }
}
