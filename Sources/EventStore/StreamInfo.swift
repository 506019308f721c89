import AccordCore
import LMDB
import Merkle

/// Per-stream bookkeeping kept in `streams`, with the append hook's summary
/// of the stream (see `AppendHook`), so both change on the same page.
///
/// Stored as `0x01 ‖ LEB128 lastVersion ‖ LEB128 lastPosition ‖ summary`.
/// Appends touching many streams dirty one `streams` page per stream, so the
/// smaller the entries, the fewer pages a commit writes. Entries written by
/// format 2 (`lastVersion u64 BE ‖ lastPosition u64 BE ‖ summary`, so their
/// first byte is 0) are still read, and rewritten compactly on their stream's
/// next append.
struct StreamInfo: LMDBCodable, Equatable {
    static let maxSummaryBytes = 255
    private static let compactTag: UInt8 = 1

    var lastVersion: StreamVersion
    var lastPosition: Position
    var summary: [UInt8]

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 + 20 + summary.count)
        bytes.append(Self.compactTag)
        CompactInteger.append(lastVersion, to: &bytes)
        CompactInteger.append(lastPosition, to: &bytes)
        bytes += summary
        return try bytes.withUnsafeBytes(body)
    }

    init(lastVersion: StreamVersion, lastPosition: Position, summary: [UInt8] = []) {
        self.lastVersion = lastVersion
        self.lastPosition = lastPosition
        self.summary = summary
    }

    init(lmdbBytes: UnsafeRawBufferPointer) throws {
        if lmdbBytes.first == Self.compactTag {
            var offset = 1
            guard let version = CompactInteger.read(lmdbBytes, at: &offset), let position = CompactInteger.read(lmdbBytes, at: &offset),
                lmdbBytes.count - offset <= Self.maxSummaryBytes
            else {
                throw EventStoreError.corrupted("stream info of \(lmdbBytes.count) bytes does not decode")
            }
            (lastVersion, lastPosition, summary) = (version, position, Array(lmdbBytes[offset...]))
            return
        }
        guard (16...16 + Self.maxSummaryBytes).contains(lmdbBytes.count) else {
            throw EventStoreError.corrupted("stream info of \(lmdbBytes.count) bytes")
        }
        lastVersion = UInt64(bigEndian: lmdbBytes.loadUnaligned(as: UInt64.self))
        lastPosition = UInt64(bigEndian: lmdbBytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        summary = Array(lmdbBytes[16...])
    }
}
