import Foundation

extension UUID {
    /// A new RFC 9562 version 7 UUID: 48 bits of Unix milliseconds, then random bits.
    ///
    /// Event ids are indexed forever for idempotency. Time-ordered ids land
    /// beside the previous ones in that index, so a commit dirties a few pages;
    /// random (version 4) ids each dirty a page of their own, which costs
    /// throughput on a durable log. Clients should prefer these.
    public static func timeOrdered(at time: Timestamp = .now()) -> UUID {
        // arc4random_buf is a user-space CSPRNG seeded by the kernel; Foundation's
        // UUID() opens /dev/urandom on every call on Linux, and getrandom is a
        // system call per use.
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in arc4random_buf(raw.baseAddress!, raw.count) }
        let millis = UInt64(max(0, time.microseconds / 1_000))
        withUnsafeMutableBytes(of: &bytes) { raw in
            for i in 0..<6 { raw[i] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * UInt64(i))) }
            raw[6] = 0x70 | (raw[6] & 0x0F)
            raw[8] = 0x80 | (raw[8] & 0x3F)
        }
        return UUID(uuid: bytes)
    }
}
