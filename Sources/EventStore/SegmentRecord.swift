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
        var builder = Builder(first: first, into: &out)
        addEntries(to: &builder, &out)
        builder.finish(&out)
    }

    /// Adds this record's entries to `builder`, writing into `out`.
    func addEntries(to builder: inout Builder, _ out: inout [UInt8]) {
        for entry in entries { entry.record.withUnsafeBytes { builder.add($0, leaf: entry.leaf, into: &out) } }
    }

    /// Writes a record in place at the end of a buffer, entry by entry: the
    /// writer copies each stored record once, from its transaction into the
    /// segment's buffer. The one producer of the record format.
    struct Builder {
        private let start: Int
        private let first: Position
        /// The entries added so far.
        private(set) var count = 0

        init(first: Position, into out: inout [UInt8]) {
            start = out.count
            self.first = first
            // Length, count and checksum are filled in by `finish`.
            out.append(contentsOf: repeatElement(0, count: SegmentRecord.headerSize))
        }

        mutating func add(_ record: UnsafeRawBufferPointer, leaf: TreeHash, into out: inout [UInt8]) {
            out.appendLittleEndian(UInt32(record.count))
            out.append(contentsOf: record)
            leaf.withUnsafeBytes { out.append(contentsOf: $0) }
            count += 1
        }

        /// The record's header and checksum; its entries are all added.
        func finish(_ out: inout [UInt8]) {
            let (start, length, count, first) = (start, UInt32(out.count - start - SegmentRecord.headerSize), UInt32(count), first)
            out.withUnsafeMutableBytes { bytes in
                bytes.storeBytes(of: SegmentRecord.magic.littleEndian, toByteOffset: start, as: UInt32.self)
                bytes.storeBytes(of: length.littleEndian, toByteOffset: start + 4, as: UInt32.self)
                bytes.storeBytes(of: count.littleEndian, toByteOffset: start + 8, as: UInt32.self)
                bytes.storeBytes(of: first.littleEndian, toByteOffset: start + 16, as: UInt64.self)
                let readable = UnsafeRawBufferPointer(bytes)
                let digest = SegmentRecord.checksum(
                    header: readable[start..<start + 24], payload: readable[(start + SegmentRecord.headerSize)...])
                digest.withUnsafeBytes { bytes[start + 24..<start + SegmentRecord.headerSize].copyBytes(from: $0) }
            }
        }
    }

    static func checksum(header: Slice<UnsafeRawBufferPointer>, payload: Slice<UnsafeRawBufferPointer>) -> SHA256.Digest {
        var sha = SHA256()
        sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: header))
        sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: payload))
        return sha.finalize()
    }
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
