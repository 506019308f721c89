import AccordCore
import Agreements
import EventStore
import LMDB

/// A statistics row's key: kind (0 month, 1 quarter), year u16 BE, month or
/// quarter u8, requester type u8 (its index in `RequesterType.allCases`).
struct StatisticsKey: LMDBCodable, Hashable {
    var key: LawEnforcementStatistics.Key

    init(_ key: LawEnforcementStatistics.Key) { self.key = key }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let requester = UInt8(RequesterType.allCases.firstIndex(of: key.requesterType)!)
        var bytes = (
            UInt8(key.isQuarter ? 1 : 0), UInt8(truncatingIfNeeded: key.year >> 8), UInt8(truncatingIfNeeded: key.year),
            UInt8(key.index), requester
        )
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
