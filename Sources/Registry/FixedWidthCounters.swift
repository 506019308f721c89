import EventStore

/// Counters stored as consecutive u64 big-endian fields: statistics rows,
/// and counters summaries written before the compact form.
enum FixedWidthCounters {
    static func read(_ bytes: UnsafeRawBufferPointer, count: Int) throws -> [UInt64] {
        guard bytes.count == count * 8 else {
            throw EventStoreError.corrupted("expected \(count * 8) bytes of counters, found \(bytes.count)")
        }
        return (0..<count).map { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
    }
}
