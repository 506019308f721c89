import Agreements
import EventStore
import LMDB

/// One statistics row's counters (u64 BE each); the key carries kind, period and requester.
struct StatisticsCounters: LMDBCodable {
    var row: LawEnforcementStatistics.Row

    init(_ row: LawEnforcementStatistics.Row) { self.row = row }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var fields = (
            UInt64(row.requests).bigEndian, UInt64(row.disclosures).bigEndian, UInt64(row.refusals).bigEndian,
            UInt64(row.noMatches).bigEndian, UInt64(row.subjectsRequested).bigEndian,
            UInt64(row.subjectsMatched).bigEndian, UInt64(row.subjectsDisclosed).bigEndian
        )
        return try withUnsafeBytes(of: &fields, body)
    }

    init(lmdbBytes: UnsafeRawBufferPointer) throws {
        let f = try FixedWidthCounters.read(lmdbBytes, count: 7).map { Int($0) }
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
