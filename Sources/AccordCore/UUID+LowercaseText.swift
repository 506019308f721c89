import Foundation

extension UUID {
    /// Appends the canonical text form (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`,
    /// lowercase, 36 bytes): every stored event's id is written this way, and
    /// Foundation's `uuidString` formats through `printf` and then needs lowercasing.
    public func appendLowercaseText(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { raw in
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0xF))
            }
        }
    }

    /// The canonical text form as a `String`.
    public var lowercaseText: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        appendLowercaseText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
