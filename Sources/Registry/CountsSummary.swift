import Agreements
import EventStore
import LMDB

/// An agreement's law-enforcement counters as its stream's summary in the
/// event store: they change with almost every event, and the summary shares
/// the page the log rewrites anyway for the stream's version.
///
/// `0x01 ‖ six LEB128 counters`, or nothing while every counter is zero, so
/// the `streams` entries stay small (see `StreamInfo`). Summaries written
/// before (six u64 BE, first byte 0) are still read.
enum CountsSummary {
    private static let compactTag: UInt8 = 1

    static func bytes(_ c: LawEnforcementCounts) -> [UInt8] {
        let fields = [c.requests, c.disclosures, c.refusals, c.noMatches, c.subjectsRequested, c.subjectsDisclosed]
        guard fields.contains(where: { $0 != 0 }) else { return [] }
        var bytes: [UInt8] = [compactTag]
        bytes.reserveCapacity(16)
        for field in fields { CompactInteger.append(UInt64(field), to: &bytes) }
        return bytes
    }

    static func counts(_ bytes: [UInt8]) throws -> LawEnforcementCounts {
        var counts = LawEnforcementCounts()
        guard !bytes.isEmpty else { return counts }
        let f = try bytes.withUnsafeBytes { raw in
            raw.first == compactTag ? try readCompact(raw, count: 6) : try FixedWidthCounters.read(raw, count: 6)
        }.map { Int(clamping: $0) }
        (counts.requests, counts.disclosures, counts.refusals) = (f[0], f[1], f[2])
        (counts.noMatches, counts.subjectsRequested, counts.subjectsDisclosed) = (f[3], f[4], f[5])
        return counts
    }

    private static func readCompact(_ bytes: UnsafeRawBufferPointer, count: Int) throws -> [UInt64] {
        var offset = 1
        let fields = (0..<count).compactMap { _ in CompactInteger.read(bytes, at: &offset) }
        guard fields.count == count, offset == bytes.count else {
            throw EventStoreError.corrupted("a counters summary of \(bytes.count) bytes does not decode")
        }
        return fields
    }
}
