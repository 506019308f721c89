import AccordCore
import Merkle

/// What a write-ahead segment's bytes hold: the longest run of whole
/// records from offset 0 whose positions follow one another.
///
/// The scan stops at the first thing that is not such a record: zeros (the
/// segment's unwritten end), a record cut short or with a byte changed (a
/// torn write: only the last, unacknowledged commit can be one), or a
/// record of an earlier cycle left behind a shorter new one (its positions
/// do not continue). Everything from `validEnd` on is garbage to overwrite.
struct SegmentScan: Equatable {
    var records: [SegmentRecord] = []
    /// Where the next record goes.
    var validEnd = 0
    /// Whether anything but zeros followed the last whole record (a torn
    /// tail, or an earlier cycle's records): worth a line in the log.
    var cutTail = false

    /// Scans `bytes` for records, the first of which must begin at `start`
    /// when it is given (a cycle's first record continues the log where the
    /// header's sync point left it; an earlier cycle's does not).
    init(_ bytes: UnsafeRawBufferPointer, start: Position? = nil) {
        var offset = 0
        while let record = Self.record(in: bytes, at: &offset, after: records.last?.end ?? start) {
            records.append(record)
            validEnd = offset
        }
        cutTail = bytes[validEnd...].contains { $0 != 0 }
    }

    /// The record at `offset` (moved past it), or `nil` when there is none.
    private static func record(in bytes: UnsafeRawBufferPointer, at offset: inout Int, after end: Position?) -> SegmentRecord? {
        let header = SegmentRecord.headerSize
        guard bytes.count - offset >= header, bytes.loadLittleEndian(UInt32.self, at: offset) == SegmentRecord.magic else {
            return nil
        }
        let length = Int(bytes.loadLittleEndian(UInt32.self, at: offset + 4))
        let count = Int(bytes.loadLittleEndian(UInt32.self, at: offset + 8))
        let first = bytes.loadLittleEndian(UInt64.self, at: offset + 16)
        guard length <= SegmentRecord.maxPayload, length <= bytes.count - offset - header, count > 0,
            end.map({ $0 == first }) ?? true, first <= Position.max - Position(count)
        else { return nil }
        let payload = bytes[offset + header..<offset + header + length]
        let digest = SegmentRecord.checksum(header: bytes[offset..<offset + 24], payload: payload)
        guard digest.elementsEqual(bytes[offset + 24..<offset + header]) else { return nil }
        guard let entries = Self.entries(UnsafeRawBufferPointer(rebasing: payload), count: count) else { return nil }
        offset += header + length
        return SegmentRecord(first: first, entries: entries)
    }

    /// The payload's entries, exactly `count` filling it, or `nil`.
    private static func entries(_ payload: UnsafeRawBufferPointer, count: Int) -> [SegmentRecord.Entry]? {
        var entries: [SegmentRecord.Entry] = []
        entries.reserveCapacity(count)
        var at = 0
        for _ in 0..<count {
            guard payload.count - at >= 4 else { return nil }
            let length = Int(payload.loadLittleEndian(UInt32.self, at: at))
            guard length <= payload.count - at - 4 - TreeHash.byteCount else { return nil }
            let record = Array(payload[at + 4..<at + 4 + length])
            let leaf = TreeHash(
                unsafeBytes: UnsafeRawBufferPointer(rebasing: payload[at + 4 + length..<at + 4 + length + TreeHash.byteCount]))
            entries.append(SegmentRecord.Entry(record: record, leaf: leaf))
            at += 4 + length + TreeHash.byteCount
        }
        return at == payload.count ? entries : nil
    }
}

extension UnsafeRawBufferPointer {
    func loadLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
