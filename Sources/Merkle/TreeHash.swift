import Foundation

/// A SHA-256 value in the log's Merkle tree: a leaf hash, a node hash or a root.
///
/// Stored inline (four words), so hashing a million leaves allocates nothing.
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    /// The number of bytes in a hash.
    public static let byteCount = 32

    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// Copies exactly 32 bytes; `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        }
    }

    /// Copies the first 32 bytes of `raw`, which must hold at least that many.
    public init(unsafeBytes raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= Self.byteCount, "a tree hash needs 32 bytes")
        words = raw.loadUnaligned(as: (UInt64, UInt64, UInt64, UInt64).self)
    }

    /// Decodes standard base64 (the form used on the wire and in checkpoints).
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64), let hash = TreeHash(bytes: data) else { return nil }
        self = hash
    }

    /// Decodes 64 hex digits, either case.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for pair in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(digits[pair]), let low = Self.nibble(digits[pair + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(bytes: bytes)
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public var base64: String { Data(bytes).base64EncodedString() }

    /// Appends the standard base64 form (44 bytes, padded) without making a
    /// `String`: receipts carry one per event.
    public func appendBase64(to out: inout [UInt8]) {
        // Digits laid out on the stack, then one append: 44 appends each checked
        // the array's capacity and uniqueness (seen in the server's profile).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 44) { text in
            Self.base64Digits.withUTF8Buffer { digits in
                withUnsafeBytes { raw in
                    func put(_ chunk: UInt32, at offset: Int, count: Int) {
                        for digit in 0..<count { text[offset + digit] = digits[Int(chunk >> (18 - 6 * UInt32(digit)) & 0x3F)] }
                    }
                    for group in 0..<10 {
                        let index = group * 3
                        put(UInt32(raw[index]) << 16 | UInt32(raw[index + 1]) << 8 | UInt32(raw[index + 2]), at: group * 4, count: 4)
                    }
                    // 32 bytes leave 2: three digits and one `=`.
                    put(UInt32(raw[30]) << 16 | UInt32(raw[31]) << 8, at: 40, count: 3)
                    text[43] = UInt8(ascii: "=")
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    private static let base64Digits: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func == (a: TreeHash, b: TreeHash) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
