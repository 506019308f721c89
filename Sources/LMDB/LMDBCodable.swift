/// A type stored as LMDB key or value bytes.
///
/// Encodings sort the way the values should scan: integers are big-endian so
/// that byte order equals numeric order.
public protocol LMDBCodable {
    /// Calls `body` with this value's stored bytes.
    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    /// Decodes stored bytes; throws `LMDBError.corrupted` when they do not fit.
    init(lmdbBytes: UnsafeRawBufferPointer) throws
}

extension UInt64: LMDBCodable {
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: bigEndian, body)
    }

    public init(lmdbBytes: UnsafeRawBufferPointer) throws {
        guard lmdbBytes.count == 8 else { throw LMDBError.corrupted("expected 8 bytes for UInt64, found \(lmdbBytes.count)") }
        self = UInt64(bigEndian: lmdbBytes.loadUnaligned(as: UInt64.self))
    }
}

extension UInt32: LMDBCodable {
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: bigEndian, body)
    }

    public init(lmdbBytes: UnsafeRawBufferPointer) throws {
        guard lmdbBytes.count == 4 else { throw LMDBError.corrupted("expected 4 bytes for UInt32, found \(lmdbBytes.count)") }
        self = UInt32(bigEndian: lmdbBytes.loadUnaligned(as: UInt32.self))
    }
}

extension String: LMDBCodable {
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = self
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    public init(lmdbBytes: UnsafeRawBufferPointer) throws {
        self = String(decoding: lmdbBytes, as: UTF8.self)
    }
}

extension Array: LMDBCodable where Element == UInt8 {
    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }

    public init(lmdbBytes: UnsafeRawBufferPointer) throws {
        self = Array(lmdbBytes)
    }
}
