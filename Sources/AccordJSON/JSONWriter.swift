/// Writes JSON in Accord's canonical form, appending UTF-8 bytes to a buffer.
///
/// The canonical form is RFC 8785 (JCS; specified for clients in
/// `protocol/canonical-json.md`): no insignificant white space; object keys
/// sorted by their UTF-16 code units; strings escape only `"`, `\` and control
/// characters (as `\b \f \n \r \t` or `\u00xx`); numbers as ECMAScript's
/// `Number.prototype.toString` writes them (shortest round-trip digits, plain
/// notation from 1e-6 up to 1e21, exponent notation `1e+21`/`1.5e-7` outside).
/// Integers are written in plain decimal, which is the same text for every
/// integer a double holds exactly; new events never carry larger ones (the
/// server refuses them), and stored bytes are never re-encoded.
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

    /// Writes a finite double as ECMAScript's `Number.prototype.toString` does
    /// (ECMA-262, Number::toString, as RFC 8785 section 3.2.2.3 requires).
    public mutating func write(double: Double) {
        if double == 0 {
            writeRaw("0")
            return
        }
        if double.rounded() == double, abs(double) < 9_007_199_254_740_992 {
            write(integer: Int64(double))
            return
        }
        if double < 0 { bytes.append(UInt8(ascii: "-")) }
        // Swift's description has the shortest digits that read back to the
        // same double; only their layout differs from ECMAScript's.
        let (digits, n) = Self.shortestDigits(abs(double))
        let k = digits.count
        if k <= n && n <= 21 {
            bytes.append(contentsOf: digits)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            bytes.append(contentsOf: digits[..<n])
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            writeRaw("0.")
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            bytes.append(contentsOf: digits)
        } else {
            bytes.append(digits[0])
            if k > 1 {
                bytes.append(UInt8(ascii: "."))
                bytes.append(contentsOf: digits[1...])
            }
            bytes.append(UInt8(ascii: "e"))
            bytes.append(UInt8(ascii: n - 1 < 0 ? "-" : "+"))
            bytes.append(contentsOf: String(abs(n - 1)).utf8)
        }
    }

    /// The shortest decimal digits `d` (no leading or trailing zeros) and the
    /// exponent `n` with `value == 0.d × 10^n`, for a finite positive double.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], n: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        var digits: [UInt8] = []
        var pointAt: Int?
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") { pointAt = digits.count } else { digits.append(c) }
        }
        var n = (pointAt ?? digits.count) + exponent
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            n -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, n)
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
