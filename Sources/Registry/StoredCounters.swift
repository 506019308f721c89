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
            raw.first == compactTag ? try readCompact(raw, count: 6) : try readFields(raw, count: 6)
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

/// One statistics row's counters (u64 BE each); the key carries kind, period and requester.
struct StatisticsCounters: LMDBCodable {
    var row: LawEnforcementStatistics.Row

    init(_ row: LawEnforcementStatistics.Row) { self.row = row }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var fields = (UInt64(row.requests).bigEndian, UInt64(row.disclosures).bigEndian, UInt64(row.refusals).bigEndian,
                      UInt64(row.noMatches).bigEndian, UInt64(row.subjectsRequested).bigEndian,
                      UInt64(row.subjectsMatched).bigEndian, UInt64(row.subjectsDisclosed).bigEndian)
        return try withUnsafeBytes(of: &fields, body)
    }

    init(lmdbBytes: UnsafeRawBufferPointer) throws {
        let f = try readFields(lmdbBytes, count: 7).map { Int($0) }
        row = LawEnforcementStatistics.Row(periodKind: "", period: "", requesterType: .other)
        (row.requests, row.disclosures, row.refusals, row.noMatches) = (f[0], f[1], f[2], f[3])
        (row.subjectsRequested, row.subjectsMatched, row.subjectsDisclosed) = (f[4], f[5], f[6])
    }

    /// These counters as the row stored under `key`.
    func row(for key: LawEnforcementStatistics.Key) -> LawEnforcementStatistics.Row {
        var result = row
        (result.periodKind, result.period, result.requesterType) = (key.periodKind, key.period, key.requesterType)
        return result
    }
}

/// A statistics row's key: kind (0 month, 1 quarter), year u16 BE, month or
/// quarter u8, requester type u8 (its index in `RequesterType.allCases`).
struct StatisticsKey: LMDBCodable, Hashable {
    var key: LawEnforcementStatistics.Key

    init(_ key: LawEnforcementStatistics.Key) { self.key = key }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let requester = UInt8(RequesterType.allCases.firstIndex(of: key.requesterType)!)
        var bytes = (UInt8(key.isQuarter ? 1 : 0), UInt8(truncatingIfNeeded: key.year >> 8), UInt8(truncatingIfNeeded: key.year),
                     UInt8(key.index), requester)
        return try withUnsafeBytes(of: &bytes, body)
    }

    init(lmdbBytes b: UnsafeRawBufferPointer) throws {
        guard b.count == 5, b[4] < RequesterType.allCases.count, b[0] < 2 else {
            throw EventStoreError.corrupted("statistics key of \(b.count) bytes")
        }
        key = LawEnforcementStatistics.Key(
            isQuarter: b[0] == 1, year: Int(b[1]) << 8 | Int(b[2]), index: Int(b[3]), requesterType: RequesterType.allCases[Int(b[4])])
    }
}

private func readFields(_ bytes: UnsafeRawBufferPointer, count: Int) throws -> [UInt64] {
    guard bytes.count == count * 8 else { throw EventStoreError.corrupted("expected \(count * 8) bytes of counters, found \(bytes.count)") }
    return (0..<count).map { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
}
