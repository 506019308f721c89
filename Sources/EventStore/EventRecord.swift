import AccordCore
import AccordJSON
import Foundation

/// The binary value stored in `events` for one recorded event (record format 1).
///
/// Big-endian throughout:
/// ```
/// u8   record format (1)
/// u64  position
/// u64  stream version
/// u8×16 event id
/// i64  recordedAt (µs since the Unix epoch)
/// u8   flags: bit 0 occurredAt present, bit 1 principal present,
///             bit 2 previous-in-stream present
/// i64  occurredAt                        (if flagged)
/// u64  position of the stream's previous event (if flagged)
/// u16  stream length,    stream UTF-8
/// u16  type length,      type UTF-8
/// u16  principal length, principal UTF-8 (if flagged)
/// u32  metadata length,  canonical JSON
/// u32  data length,      canonical JSON
/// ```
enum EventRecord {
    static let format: UInt8 = 1

    static func encode(_ e: RecordedEvent, previousInStream: Position?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + e.stream.rawValue.utf8.count + e.type.utf8.count + e.data.bytes.count + e.metadata.bytes.count)
        out.append(format)
        append(e.position, to: &out)
        append(e.version, to: &out)
        withUnsafeBytes(of: e.eventId.uuid) { out.append(contentsOf: $0) }
        append(UInt64(bitPattern: e.recordedAt.microseconds), to: &out)
        out.append((e.occurredAt == nil ? 0 : 1) | (e.principal == nil ? 0 : 2) | (previousInStream == nil ? 0 : 4))
        if let occurredAt = e.occurredAt { append(UInt64(bitPattern: occurredAt.microseconds), to: &out) }
        if let previousInStream { append(previousInStream, to: &out) }
        appendShort(e.stream.rawValue.utf8, to: &out)
        appendShort(e.type.utf8, to: &out)
        if let principal = e.principal { appendShort(principal.utf8, to: &out) }
        appendLong(e.metadata.bytes, to: &out)
        appendLong(e.data.bytes, to: &out)
        return out
    }

    private static func append(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    private static func appendShort(_ bytes: String.UTF8View, to out: inout [UInt8]) {
        withUnsafeBytes(of: UInt16(bytes.count).bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: bytes)
    }

    private static func appendLong(_ bytes: [UInt8], to out: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: bytes)
    }

    struct Reader {
        let raw: UnsafeRawBufferPointer
        var offset = 0

        mutating func need(_ count: Int) throws {
            guard offset + count <= raw.count else { throw EventStoreError.corrupted("truncated event record") }
        }

        mutating func byte() throws -> UInt8 {
            try need(1)
            defer { offset += 1 }
            return raw[offset]
        }

        mutating func u64() throws -> UInt64 {
            try need(8)
            defer { offset += 8 }
            return UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }

        mutating func uuid() throws -> uuid_t {
            try need(16)
            defer { offset += 16 }
            return raw.loadUnaligned(fromByteOffset: offset, as: uuid_t.self)
        }

        mutating func slice(lengthBytes: Int) throws -> UnsafeRawBufferPointer {
            try need(lengthBytes)
            var length = 0
            for _ in 0..<lengthBytes {
                length = length << 8 | Int(raw[offset])
                offset += 1
            }
            try need(length)
            defer { offset += length }
            return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + length])
        }
    }
}
