import Foundation

extension UUID {
    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case) without
    /// Foundation's scanner, which costs more than the rest of an append's parsing.
    public init?(text: String) {
        var text = text
        guard let uuid = text.withUTF8({ UUID(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = uuid
    }

    /// The same over UTF-8 bytes, as a request holds them.
    public init?(utf8 text: UnsafeRawBufferPointer) {
        guard text.count == 36, text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"),
            text[23] == UInt8(ascii: "-")
        else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var position = 0
            for index in 0..<16 {
                // Hyphens sit before the 5th, 7th, 9th and 11th bytes.
                if index == 4 || index == 6 || index == 8 || index == 10 { position += 1 }
                guard let high = Self.nibble(text[position]), let low = Self.nibble(text[position + 1]) else { return false }
                out[index] = high << 4 | low
                position += 2
            }
            return true
        }
        guard ok else { return nil }
        self.init(uuid: bytes)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
