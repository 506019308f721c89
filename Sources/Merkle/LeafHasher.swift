import Crypto

/// An RFC 6962 leaf hash computed in pieces: SHA-256 over 0x00 and then the
/// entry's bytes as they are produced. A value type, so a hasher that has
/// absorbed a common prefix can be copied and finished many ways, and the
/// prefix can be hashed on one thread and finished on another.
// SHA256 is a value type whose state is a plain C struct (copied, never
// shared), so a hasher moving between tasks is safe; Crypto just does not
// declare it `Sendable`.
public struct LeafHasher: @unchecked Sendable {
    private var sha = SHA256()

    public init() {
        withUnsafeBytes(of: UInt8(0)) { sha.update(bufferPointer: $0) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha.update(bufferPointer: bytes)
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { sha.update(bufferPointer: $0) }
    }

    /// SHA-256(0x00 ‖ everything absorbed).
    public func finalize() -> TreeHash {
        TreeHash(sha.finalize())
    }
}
