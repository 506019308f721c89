import AccordCore
import Crypto
import Merkle

/// One commit's events as the write-ahead segment holds them: the stored
/// record bytes of positions `first ..< first + entries.count`, each with
/// its Merkle leaf hash.
///
/// Layout (little-endian), 56 bytes of header then the payload:
/// `magic u32 | payload length u32 | count u32 | reserved u32 | first u64 |
/// SHA-256 of header bytes 0..<24 and the payload (32 bytes)`; the payload
/// is, per entry, `length u32 | record bytes | leaf hash (32 bytes)`.
/// A record is whole or it is not there: `SegmentScan` accepts it only when
/// the checksum matches and its positions continue the previous record's.
struct SegmentRecord: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var record: [UInt8]
        var leaf: TreeHash
    }

    var first: Position
    var entries: [Entry]

    /// Positions after the last: the next record's `first`.
    var end: Position { first + Position(entries.count) }

    static let magic: UInt32 = 0x4C41_5741  // "AWAL"
    static let headerSize = 56
    /// A payload larger than this is damage, whatever its length field says.
    static let maxPayload = 1 << 30

    /// Appends the encoded record to `out` (whose capacity the caller keeps).
    func encode(into out: inout [UInt8]) {
        let start = out.count
        let payload = entries.reduce(0) { $0 + 4 + $1.record.count + TreeHash.byteCount }
        out.appendLittleEndian(Self.magic)
        out.appendLittleEndian(UInt32(payload))
        out.appendLittleEndian(UInt32(entries.count))
        out.appendLittleEndian(UInt32(0))
        out.appendLittleEndian(first)
        out.append(contentsOf: repeatElement(0, count: 32))
        for entry in entries {
            out.appendLittleEndian(UInt32(entry.record.count))
            out.append(contentsOf: entry.record)
            entry.leaf.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        let digest = out.withUnsafeBytes { Self.checksum(header: $0[start..<start + 24], payload: $0[(start + Self.headerSize)...]) }
        out.replaceSubrange(start + 24..<start + Self.headerSize, with: digest)
    }

    static func checksum(header: Slice<UnsafeRawBufferPointer>, payload: Slice<UnsafeRawBufferPointer>) -> [UInt8] {
        var sha = SHA256()
        sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: header))
        sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: payload))
        return Array(sha.finalize())
    }
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
