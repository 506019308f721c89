import AccordCore
import AccordJSON

/// Reads JSON from a request's bytes and writes each value in canonical form
/// (RFC 8785, `JSONWriter`'s) as it goes: the one pass an append takes, with
/// no `JSONValue` tree and no `String` for text that is ASCII.
///
/// It takes only what the general decoder (`Request.decodeParsing`) would
/// take whole and store the same way: strict RFC 8259, nesting within the
/// parser's depth, keys once each, text in NFC, integers within ±(2^53 − 1).
/// Anything else (and anything rare: an escaped key, a duplicate) makes it
/// return `false` or `nil` and the request is decoded the general way,
/// which words the error: this type never builds a message.
struct CanonicalScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    /// Member spans of the objects being written, innermost last: one array
    /// for the request, not one per object.
    private var spans: [Span] = []

    /// Where one member landed in the output: its key's bytes (between the
    /// quotes) and the whole member (`"key":value`).
    private struct Span {
        var key: Range<Int>
        var member: Range<Int>
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        spans.reserveCapacity(32)
    }

    var atEnd: Bool { index == bytes.count }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after any white space.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Whether the next byte (after white space) is `byte`, without consuming it.
    mutating func peek(_ byte: UInt8) -> Bool {
        skipSpace()
        return index < bytes.count && bytes[index] == byte
    }

    /// Reads an object's members: `read` is given each key, with the
    /// scanner at its value, and returns the member's bit (or `nil` to
    /// decline). Returns the bits of the members read; `nil` for a repeated
    /// member, a declined one, or an object that is not whole.
    mutating func members(_ read: (UnsafeRawBufferPointer, inout CanonicalScanner) -> UInt8?) -> UInt8? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var seen: UInt8 = 0
        repeat {
            guard let key = plainString(), consume(UInt8(ascii: ":")), let bit = read(key, &self), seen & bit == 0 else { return nil }
            seen |= bit
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? seen : nil
    }

    /// A string without escapes, as its raw UTF-8 bytes (validated), the
    /// quotes consumed; `nil` for anything else.
    mutating func plainString() -> UnsafeRawBufferPointer? {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var i = start
        var high: UInt8 = 0
        // Eight bytes at a time while none ends the string, escapes, is a control character or non-ASCII
        // (a byte below n is found by `(w - n×0x01…) & ~w & 0x80…`, a zero byte with n = 1).
        let (ones, highs) = (UInt64(0x0101_0101_0101_0101), UInt64(0x8080_8080_8080_8080))
        while i + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let (quote, backslash) = (word ^ (ones &* 0x22), word ^ (ones &* 0x5C))
            let found =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word) | word
            if found & highs != 0 { break }
            i += 8
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            high |= byte
            i += 1
        }
        guard i < bytes.count else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
        if high >= 0x80 {
            guard let string = String(validating: text, as: UTF8.self), string.isNFC else { return nil }
        }
        index = i + 1
        return text
    }

    /// The bytes of the next value, skipped with only its brackets and
    /// strings followed; the general parser judges it (`expectedVersion`).
    mutating func rawValue() -> UnsafeRawBufferPointer? {
        skipSpace()
        let start = index
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard skipString() else { return nil }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return UnsafeRawBufferPointer(rebasing: bytes[start..<index]) }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 { return UnsafeRawBufferPointer(rebasing: bytes[start..<index]) }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// Moves past a string (escapes included) without reading it.
    private mutating func skipString() -> Bool {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return false
    }

    /// Writes the next value in canonical form; `depth` is the nesting the
    /// general parser would count for a container here (the request is 1).
    mutating func value(into out: inout JSONWriter, depth: Int) -> Bool {
        skipSpace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(into: &out, depth: depth)
        case UInt8(ascii: "["): return array(into: &out, depth: depth)
        case UInt8(ascii: "\""): return string(into: &out)
        case UInt8(ascii: "t"): return literal("true", into: &out)
        case UInt8(ascii: "f"): return literal("false", into: &out)
        case UInt8(ascii: "n"): return literal("null", into: &out)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number(into: &out)
        default: return false
        }
    }

    private mutating func literal(_ text: StaticString, into out: inout JSONWriter) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for i in 0..<count where bytes[index + i] != text.utf8Start[i] { return false }
        index += count
        out.writeRaw(text)
        return true
    }

    private mutating func string(into out: inout JSONWriter) -> Bool {
        let start = index
        if let text = plainString() {
            // No escapes, no control characters: the canonical form is the text as sent.
            out.bytes.append(UInt8(ascii: "\""))
            out.bytes.append(contentsOf: text)
            out.bytes.append(UInt8(ascii: "\""))
            return true
        }
        index = start
        guard skipString(), case .string(let text)? = parsed(start..<index), text.isNFC else { return false }
        out.write(string: text)
        return true
    }

    /// A short integer (the common number) is copied; any other number is
    /// read and written as the general parser and `JSONWriter` do.
    private mutating func number(into out: inout JSONWriter) -> Bool {
        let start = index
        var plain = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        let digits = index - digitsStart
        guard digits > 0, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") {
            // A fraction or an exponent: the parser reads the whole of it.
            plain = false
            while index < bytes.count, Self.numberBytes.contains(bytes[index]) { index += 1 }
        }
        if plain, digits <= 15 {
            // Within 2^53 and already canonical, but for "-0", which is 0.
            if digits == 1, bytes[digitsStart] == UInt8(ascii: "0") {
                out.bytes.append(UInt8(ascii: "0"))
            } else {
                out.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            }
            return true
        }
        switch parsed(start..<index) {
        case .integer(let i)? where i.magnitude <= UInt64(JSONValue.maxExactInteger): out.write(integer: i)
        case .double(let d)?: out.write(double: d)
        default: return false
        }
        return true
    }

    private static let numberBytes: Set<UInt8> = Set("0123456789.eE+-".utf8)

    private func parsed(_ range: Range<Int>) -> JSONValue? {
        try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// Opens a container (within the parser's depth): `true` when it is
    /// empty and written whole, `false` when members follow, `nil` when too deep.
    private mutating func open(_ open: UInt8, _ close: UInt8, into out: inout JSONWriter, depth: Int) -> Bool? {
        guard depth <= JSONParser.defaultMaxDepth else { return nil }
        index += 1
        out.bytes.append(open)
        guard consume(close) else { return false }
        out.bytes.append(close)
        return true
    }

    private mutating func array(into out: inout JSONWriter, depth: Int) -> Bool {
        guard let empty = open(UInt8(ascii: "["), UInt8(ascii: "]"), into: &out, depth: depth) else { return false }
        if empty { return true }
        while true {
            guard value(into: &out, depth: depth + 1) else { return false }
            if consume(UInt8(ascii: "]")) {
                out.bytes.append(UInt8(ascii: "]"))
                return true
            }
            guard consume(UInt8(ascii: ",")) else { return false }
            out.bytes.append(UInt8(ascii: ","))
        }
    }

    private mutating func object(into out: inout JSONWriter, depth: Int) -> Bool {
        guard let empty = open(UInt8(ascii: "{"), UInt8(ascii: "}"), into: &out, depth: depth) else { return false }
        if empty { return true }
        let base = spans.count
        defer { spans.removeSubrange(base...) }
        var sorted = true
        while true {
            if spans.count > base { out.bytes.append(UInt8(ascii: ",")) }
            let memberStart = out.bytes.count
            guard let key = plainString(), consume(UInt8(ascii: ":")) else { return false }
            out.bytes.append(UInt8(ascii: "\""))
            out.bytes.append(contentsOf: key)
            out.bytes.append(UInt8(ascii: "\""))
            out.bytes.append(UInt8(ascii: ":"))
            guard value(into: &out, depth: depth + 1) else { return false }
            let span = Span(key: memberStart + 1..<memberStart + 1 + key.count, member: memberStart..<out.bytes.count)
            if sorted, let last = spans.last, spans.count > base {
                switch Self.order(out.bytes, last.key, span.key) {
                case .ascending: break
                case .same: return false
                case .descending: sorted = false
                }
            }
            spans.append(span)
            if consume(UInt8(ascii: "}")) { break }
            guard consume(UInt8(ascii: ",")) else { return false }
        }
        if !sorted, !reorder(&out.bytes, from: base) { return false }
        out.bytes.append(UInt8(ascii: "}"))
        return true
    }

    /// Rewrites the members `spans[base...]` (the last ones in `bytes`) in
    /// canonical key order; `false` when a key repeats.
    private func reorder(_ bytes: inout [UInt8], from base: Int) -> Bool {
        let members = spans[base...]
        let order = members.indices.sorted { Self.order(bytes, spans[$0].key, spans[$1].key) == .ascending }
        for (a, b) in zip(order, order.dropFirst()) where Self.order(bytes, spans[a].key, spans[b].key) == .same { return false }
        let start = members.first!.member.lowerBound
        let written = Array(bytes[start...])
        bytes.removeSubrange(start...)
        for (n, i) in order.enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: written[spans[i].member.lowerBound - start..<spans[i].member.upperBound - start])
        }
        return true
    }

    private enum Order { case ascending, same, descending }

    /// Canonical key order (UTF-16 code units). UTF-8 bytes sort as code
    /// points do, which differs from UTF-16 only past U+E000, so only keys
    /// that differ there are compared as strings.
    private static func order(_ bytes: [UInt8], _ a: Range<Int>, _ b: Range<Int>) -> Order {
        var (i, j) = (a.lowerBound, b.lowerBound)
        while i < a.upperBound, j < b.upperBound {
            let (x, y) = (bytes[i], bytes[j])
            if x != y {
                if x < 0xEE, y < 0xEE { return x < y ? .ascending : .descending }
                let (s, t) = (String(decoding: bytes[a], as: UTF8.self), String(decoding: bytes[b], as: UTF8.self))
                return JSONObject.precedes(s, t) ? .ascending : .descending
            }
            i += 1
            j += 1
        }
        if a.count == b.count { return .same }
        return a.count < b.count ? .ascending : .descending
    }
}
