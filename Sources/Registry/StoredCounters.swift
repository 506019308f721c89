import Agreements
import EventStore
import LMDB

/// What changes on every event of an agreement, stored apart from the
/// agreement's JSON so that a law-enforcement request rewrites 64 bytes, not
/// the whole agreement: version, last position and request counts (u64 BE each).
struct AgreementActivity: LMDBCodable, Equatable {
    var version: UInt64
    var lastPosition: UInt64
    var counts: LawEnforcementCounts

    init(_ agreement: Agreement) {
        version = agreement.version
        lastPosition = agreement.lastPosition
        counts = agreement.lawEnforcement
    }

    func apply(to agreement: inout Agreement) {
        agreement.version = version
        agreement.lastPosition = lastPosition
        agreement.lawEnforcement = counts
    }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let c = counts
        let fields = [version, lastPosition] + [c.requests, c.disclosures, c.refusals, c.noMatches, c.subjectsRequested, c.subjectsDisclosed].map { UInt64($0) }
        return try fields.map(\.bigEndian).withUnsafeBytes(body)
    }

    init(lmdbBytes: UnsafeRawBufferPointer) throws {
        let f = try readFields(lmdbBytes, count: 8)
        version = f[0]
        lastPosition = f[1]
        counts = LawEnforcementCounts()
        (counts.requests, counts.disclosures, counts.refusals) = (Int(f[2]), Int(f[3]), Int(f[4]))
        (counts.noMatches, counts.subjectsRequested, counts.subjectsDisclosed) = (Int(f[5]), Int(f[6]), Int(f[7]))
    }
}

/// One statistics row's counters (u64 BE each); the key carries kind, period and requester.
struct StatisticsCounters: LMDBCodable {
    var row: LawEnforcementStatistics.Row

    init(_ row: LawEnforcementStatistics.Row) { self.row = row }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let fields = [row.requests, row.disclosures, row.refusals, row.noMatches, row.subjectsRequested, row.subjectsMatched, row.subjectsDisclosed]
        return try fields.map { UInt64($0).bigEndian }.withUnsafeBytes(body)
    }

    init(lmdbBytes: UnsafeRawBufferPointer) throws {
        let f = try readFields(lmdbBytes, count: 7).map { Int($0) }
        row = LawEnforcementStatistics.Row(periodKind: "", period: "", requesterType: .other)
        (row.requests, row.disclosures, row.refusals, row.noMatches) = (f[0], f[1], f[2], f[3])
        (row.subjectsRequested, row.subjectsMatched, row.subjectsDisclosed) = (f[4], f[5], f[6])
    }

    /// The row stored under `key` (`kind|period|requester`) with these counters.
    func row(forKey key: String) throws -> LawEnforcementStatistics.Row {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3, let requester = RequesterType(rawValue: String(parts[2])) else {
            throw EventStoreError.corrupted("statistics key \(key)")
        }
        var result = row
        (result.periodKind, result.period, result.requesterType) = (String(parts[0]), String(parts[1]), requester)
        return result
    }
}

private func readFields(_ bytes: UnsafeRawBufferPointer, count: Int) throws -> [UInt64] {
    guard bytes.count == count * 8 else { throw EventStoreError.corrupted("expected \(count * 8) bytes of counters, found \(bytes.count)") }
    return (0..<count).map { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
}
