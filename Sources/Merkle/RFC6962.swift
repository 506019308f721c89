import Crypto
import Foundation

/// The hashing rules of RFC 6962 §2.1 (and RFC 9162 §2.1.1), with SHA-256.
///
/// Leaves and interior nodes are hashed with different one-byte prefixes, so a
/// leaf can never be passed off as a node (second-preimage resistance).
public enum RFC6962 {
    /// MTH({}) = SHA-256(): the root of the empty tree.
    public static let emptyRoot = TreeHash(SHA256.hash(data: [UInt8]()))

    /// SHA-256(0x00 ‖ entry).
    public static func leafHash(_ entry: UnsafeRawBufferPointer) -> TreeHash {
        var hasher = LeafHasher()
        hasher.update(entry)
        return hasher.finalize()
    }

    /// SHA-256(0x00 ‖ entry).
    public static func leafHash(_ entry: [UInt8]) -> TreeHash {
        entry.withUnsafeBytes { leafHash($0) }
    }

    /// SHA-256(0x01 ‖ left ‖ right) over arbitrary bytes (for known-answer tests).
    public static func nodeHash(rawLeft left: [UInt8], rawRight right: [UInt8]) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [1] + left + right)
        return TreeHash(hasher.finalize())
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        // One 65-byte message hashed in one call: the hot path of every proof.
        var message = NodeMessage(prefix: 1, left: left, right: right)
        return withUnsafeBytes(of: &message) { raw in
            TreeHash(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: raw[0..<65])))
        }
    }
}

/// 0x01 ‖ left ‖ right laid out contiguously (a tuple of bytes then two hashes
/// would be padded; this keeps the prefix in the first byte).
private struct NodeMessage {
    var bytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt8)

    init(prefix: UInt8, left: TreeHash, right: TreeHash) {
        bytes = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw[0] = prefix
            left.withUnsafeBytes { raw.baseAddress!.advanced(by: 1).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            right.withUnsafeBytes { raw.baseAddress!.advanced(by: 33).copyMemory(from: $0.baseAddress!, byteCount: 32) }
        }
    }
}

extension TreeHash {
    init(_ digest: SHA256.Digest) {
        self = digest.withUnsafeBytes { TreeHash(unsafeBytes: $0) }
    }
}
