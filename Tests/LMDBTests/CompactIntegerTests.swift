import LMDB
import Testing

@Suite struct CompactIntegerTests {
    @Test(arguments: [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 32, UInt64(1) << 63, .max] as [UInt64])
    func roundTrips(_ value: UInt64) {
        var bytes: [UInt8] = [0xAA]
        CompactInteger.append(value, to: &bytes)
        #expect(bytes.count - 1 == max(1, (64 - value.leadingZeroBitCount + 6) / 7))
        var offset = 1
        #expect(bytes.withUnsafeBytes { CompactInteger.read($0, at: &offset) } == value)
        #expect(offset == bytes.count)
    }

    @Test func truncatedAndOverlongInputIsRefused() {
        var offset = 0
        #expect(([0x80, 0x80] as [UInt8]).withUnsafeBytes { CompactInteger.read($0, at: &offset) } == nil)
        offset = 0
        // Eleven bytes, or a tenth byte above 1, would not fit in 64 bits.
        #expect([UInt8](repeating: 0xFF, count: 10).withUnsafeBytes { CompactInteger.read($0, at: &offset) } == nil)
        offset = 0
        #expect(([UInt8](repeating: 0xFF, count: 9) + [0x02]).withUnsafeBytes { CompactInteger.read($0, at: &offset) } == nil)
    }
}
