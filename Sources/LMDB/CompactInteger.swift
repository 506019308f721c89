/// Unsigned LEB128: seven bits per byte, low bits first, the high bit set on
/// every byte but the last. Small counters and versions take one or two bytes
/// instead of eight, so values written on every commit (a stream's head, its
/// counters) pack more to a page and each commit dirties fewer pages.
public enum CompactInteger {
    /// Appends `value`: 1 byte below 128, at most 10 bytes.
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Reads one value at `offset` and moves `offset` past it; `nil` when the
    /// bytes end mid-value or the value does not fit in 64 bits.
    public static func read(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            guard shift < 64, shift < 63 || byte <= 1 else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
