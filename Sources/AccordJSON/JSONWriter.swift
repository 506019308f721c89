/// Writes JSON in Accord's canonical form, appending UTF-8 bytes to a buffer.
///
/// The canonical form (specified for clients in `protocol/canonical-json.md`):
/// no insignificant white space; object keys sorted by their UTF-8 bytes;
/// strings escape only `"`, `\` and control characters (as `\b \f \n \r \t` or
/// `\u00xx`); integers in plain decimal; other numbers as the shortest decimal
/// that reads back to the same double, with integral values below 2^53 written
/// as integers and exponents written `e+N`/`e-N` without leading zeros.
public struct JSONWriter {
    public var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeRaw("null")
        case .bool(let b): writeRaw(b ? "true" : "false")
        case .integer(let i): write(integer: i)
        case .double(let d): write(double: d)
        case .string(let s): write(string: s)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(string: key)
                bytes.append(UInt8(ascii: ":"))
                write(value)
            }
            bytes.append(UInt8(ascii: "}"))

        }
    }

    public mutating func writeRaw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends bytes that are already JSON (for example a stored canonical value).
    public mutating func writeRaw(_ json: some Sequence<UInt8>) {
        bytes.append(contentsOf: json)
    }

    public mutating func write(integer: Int64) {
        bytes.append(contentsOf: String(integer).utf8)
    }

    public mutating func write(double: Double) {
        if double.rounded() == double, abs(double) < 9_007_199_254_740_992 {
            write(integer: Int64(double))
            return
        }
        var text = double.description
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            var exponent = text[text.index(after: e)...]
            var sign = "+"
            if let first = exponent.first, first == "-" || first == "+" {
                sign = String(first)
                exponent = exponent.dropFirst()
            }
            let digits = exponent.drop(while: { $0 == "0" })
            text = mantissa + "e" + sign + (digits.isEmpty ? "0" : String(digits))
        }
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func write(string: String) {
        var string = string
        string.withUTF8 { writeEscaped($0) }
    }

    /// Writes UTF-8 text (already valid) as a JSON string, escaped canonically.
    public mutating func write(utf8 text: some Collection<UInt8>) {
        // Strings' UTF-8 views and stored bytes are contiguous: scan and copy
        // the buffer (a loop the compiler vectorises) rather than the view.
        if text.withContiguousStorageIfAvailable({ writeEscaped($0) }) != nil { return }
        writeEscaped(text)
    }

    private mutating func writeEscaped(_ text: some Collection<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escapes: copy them whole.
        if !text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x0A: writeRaw("\\n")
            case 0x0D: writeRaw("\\r")
            case 0x09: writeRaw("\\t")
            case 0x08: writeRaw("\\b")
            case 0x0C: writeRaw("\\f")
            case ..<0x20:
                writeRaw("\\u00")
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hex = Array("0123456789abcdef".utf8)
}

extension JSONValue {
    /// This value in Accord's canonical encoding.
    public var canonicalBytes: [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }

    /// This value in canonical encoding, as text.
    public var canonicalString: String {
        String(decoding: canonicalBytes, as: UTF8.self)
    }
}
