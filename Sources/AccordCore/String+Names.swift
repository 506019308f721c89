import Foundation

extension String {
    /// Whether the text is in Unicode Normalization Form C, the form Accord
    /// stores (ASCII always is): two spellings of one text must not be two
    /// different values.
    public var isNFC: Bool {
        isASCII || precomposedStringWithCanonicalMapping.utf8.elementsEqual(utf8)
    }

    /// Whether every byte is ASCII: eight bytes at a time where the string
    /// is contiguous (the common case, on every event's every string).
    var isASCII: Bool {
        let fast = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            let raw = UnsafeRawBufferPointer(bytes)
            var seen: UInt64 = 0
            var i = 0
            while i + 8 <= raw.count {
                seen |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < raw.count {
                seen |= UInt64(raw[i])
                i += 1
            }
            return seen & 0x8080_8080_8080_8080 == 0
        }
        return fast ?? utf8.allSatisfy { $0 < 0x80 }
    }

    /// Why this text cannot be a name people read (a stream's or a
    /// client's), or `nil`: it must hold no control character (C0, DEL, C1
    /// such as U+0085), no bidirectional control (U+202A–U+202E,
    /// U+2066–U+2069), no zero-width character (U+200B–U+200D, U+2060,
    /// U+FEFF), and be in NFC, so that two names that look alike are alike.
    public var nameProblem: String? {
        // Printable ASCII, the usual name, has none of these.
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0..<0x20, 0x7F, 0x80...0x9F:
                return "must not contain control characters (found U+\(Self.hex(scalar)))"
            case 0x202A...0x202E, 0x2066...0x2069:
                return "must not contain bidirectional controls (found U+\(Self.hex(scalar)))"
            case 0x200B...0x200D, 0x2060, 0xFEFF:
                return "must not contain zero-width characters (found U+\(Self.hex(scalar)))"
            default: continue
            }
        }
        return isNFC ? nil : "must be in Unicode normalization form C (NFC)"
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: Swift.max(0, 4 - digits.count)) + digits
    }
}
