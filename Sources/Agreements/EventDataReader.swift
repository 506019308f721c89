import AccordCore
import AccordJSON

/// Reads one JSON object of an event's `data` from canonical bytes, member
/// by member: keys compared as bytes against the type's key table, values
/// read where they lie, no `JSONValue` tree and no `String` per key.
///
/// Every agreement event type decodes through this reader and only through
/// it (`AgreementEvent(validating:canonical:)` and `init(type:canonical:)`).
/// Its faults are the ones `JSONValueDecoder` gives for the same object and
/// the type's `Decodable` conformance, which is kept only as the oracle
/// `EventDecodingTests` and the event fuzzer compare this reader against:
/// strictly, a member the type does not define is refused before any member
/// is read; then members are read in the order the type declares them, and
/// the first fault is reported with its path (`recipient.category`,
/// `dataItems[2]`). Only a fault spells a path or a message.
///
/// The buffers are valid only inside the closure that holds the bytes.
struct EventDataReader {
    /// The fault of a value: its path below the object read, and what is wrong.
    struct Fault: Error {
        var path: String?
        /// Follows the path: "is required", ": expected a string, found null".
        var problem: String

        /// The sentence for people: the path (or "the value") and the problem.
        var explanation: String { (path ?? "the value") + problem }

        /// The same fault seen from the object holding this value under `name` (`recipient`, `[2]`).
        func under(_ name: String) -> Fault {
            guard let path else { return Fault(path: name, problem: problem) }
            return Fault(path: path.hasPrefix("[") ? name + path : name + "." + path, problem: problem)
        }
    }

    private let values: [UnsafeRawBufferPointer?]
    private let keys: [[UInt8]]
    /// Whether the values are a client's (refuse unknown members, read dates
    /// strictly) rather than what the log stored (read as written).
    let strict: Bool

    /// The object at `bytes`, whose members may be `keys` (their UTF-8, in any order).
    init(_ bytes: UnsafeRawBufferPointer, keys: [[UInt8]], strict: Bool) throws(Fault) {
        self.keys = keys
        self.strict = strict
        guard bytes.first == UInt8(ascii: "{") else { throw Self.mismatch("an object", bytes) }
        var found = [UnsafeRawBufferPointer?](repeating: nil, count: keys.count)
        var unknown: UnsafeRawBufferPointer?
        var next = 0
        JSONMemberScanner.forEachMember(in: bytes) { key, value in
            // Members come in canonical order, as the tables mostly list them: the next key is usually the one after.
            for offset in 0..<keys.count {
                let index = (next + offset) % keys.count
                if keys[index].elementsEqual(key) {
                    found[index] = value
                    next = index + 1
                    return
                }
            }
            if unknown == nil { unknown = key }
        }
        values = found
        if strict, let unknown { throw Fault(path: Self.keyText(unknown), problem: " is not a member this object may have") }
    }

    /// A key table, as the type declares its members.
    static func keys(_ names: String...) -> [[UInt8]] { names.map { Array($0.utf8) } }

    // MARK: Members

    func string(_ key: Int) throws(Fault) -> String { try member(key) { (value) throws(Fault) in try Self.string(value) } }

    func optionalString(_ key: Int) throws(Fault) -> String? {
        try optionalMember(key) { (value) throws(Fault) in try Self.string(value) }
    }

    func bool(_ key: Int) throws(Fault) -> Bool {
        try member(key) { (value) throws(Fault) in
            switch value.first {
            case UInt8(ascii: "t"): return true
            case UInt8(ascii: "f"): return false
            default: throw Self.mismatch("a boolean", value)
            }
        }
    }

    func int(_ key: Int) throws(Fault) -> Int { try member(key) { (value) throws(Fault) in try Self.int(value) } }

    func enumeration<E: RawRepresentable<String> & CaseIterable>(_ key: Int, _ type: E.Type) throws(Fault) -> E {
        try member(key) { (value) throws(Fault) in try Self.enumeration(value, type) }
    }

    func date(_ key: Int) throws(Fault) -> CalendarDate { try member(key) { (value) throws(Fault) in try date(value) } }

    func optionalDate(_ key: Int) throws(Fault) -> CalendarDate? {
        try optionalMember(key) { (value) throws(Fault) in try date(value) }
    }

    func strings(_ key: Int) throws(Fault) -> [String] {
        try member(key) { (value) throws(Fault) in try Self.elements(value) { (element) throws(Fault) in try Self.string(element) } }
    }

    func optionalStrings(_ key: Int) throws(Fault) -> [String]? {
        try optionalMember(key) { (value) throws(Fault) in try Self.elements(value) { (element) throws(Fault) in try Self.string(element) }
        }
    }

    func enumerations<E: RawRepresentable<String> & CaseIterable>(_ key: Int, _ type: E.Type) throws(Fault) -> [E] {
        try member(key) { (value) throws(Fault) in
            try Self.elements(value) { (element) throws(Fault) in try Self.enumeration(element, type) }
        }
    }

    /// A nested object, read by `read` with its own key table.
    func object<T>(_ key: Int, keys: [[UInt8]], _ read: (EventDataReader) throws(Fault) -> T) throws(Fault) -> T {
        try member(key) { (value) throws(Fault) in try read(EventDataReader(value, keys: keys, strict: strict)) }
    }

    /// A required member read by `read`; its faults are named by its key (spelled only then).
    private func member<T>(_ key: Int, _ read: (UnsafeRawBufferPointer) throws(Fault) -> T) throws(Fault) -> T {
        guard let value = values[key] else { throw Fault(path: name(key), problem: " is required") }
        do { return try read(value) } catch { throw error.under(name(key)) }
    }

    /// An optional member: absent or `null` is `nil`.
    private func optionalMember<T>(_ key: Int, _ read: (UnsafeRawBufferPointer) throws(Fault) -> T) throws(Fault) -> T? {
        guard let value = values[key], value.first != UInt8(ascii: "n") else { return nil }
        do { return try read(value) } catch { throw error.under(name(key)) }
    }

    private func name(_ key: Int) -> String { String(decoding: keys[key], as: UTF8.self) }

    // MARK: Values

    private func date(_ value: UnsafeRawBufferPointer) throws(Fault) -> CalendarDate {
        let text = try Self.string(value)
        guard let date = strict ? CalendarDate(text) : CalendarDate(stored: text) else {
            throw Fault(path: nil, problem: " must be a date (YYYY-MM-DD); got \"\(text)\"")
        }
        return date
    }

    private static func elements<T>(
        _ value: UnsafeRawBufferPointer, _ read: (UnsafeRawBufferPointer) throws(Fault) -> T
    ) throws(Fault)
        -> [T]
    {
        guard value.first == UInt8(ascii: "[") else { throw mismatch("an array", value) }
        var spans: [UnsafeRawBufferPointer] = []
        JSONMemberScanner.forEachElement(in: value) { spans.append($0) }
        var out: [T] = []
        out.reserveCapacity(spans.count)
        for (index, element) in spans.enumerated() {
            do { out.append(try read(element)) } catch { throw error.under("[\(index)]") }
        }
        return out
    }

    private static func string(_ value: UnsafeRawBufferPointer) throws(Fault) -> String {
        guard value.count >= 2, value.first == UInt8(ascii: "\"") else { throw mismatch("a string", value) }
        let inner = UnsafeRawBufferPointer(rebasing: value.dropFirst().dropLast())
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        guard case .string(let text)? = try? JSONParser.parse(value) else { throw mismatch("a string", value) }
        return text
    }

    private static func int(_ value: UnsafeRawBufferPointer) throws(Fault) -> Int {
        // Canonical integers are plain digits; anything else takes the parser's word, as `JSONValue.int64Value` reads it.
        if (1...18).contains(value.count), value.first != UInt8(ascii: "0") || value.count == 1,
            value.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 })
        {
            return value.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard let parsed = try? JSONParser.parse(value), let exact = parsed.int64Value.flatMap({ Int(exactly: $0) }) else {
            throw mismatch("an integer", value)
        }
        return exact
    }

    private static func enumeration<E: RawRepresentable<String> & CaseIterable>(
        _ value: UnsafeRawBufferPointer, _ type: E.Type
    )
        throws(Fault) -> E
    {
        let text = try string(value)
        guard let e = E(rawValue: text) else { throw Fault(path: nil, problem: " " + E.mustBeOneOf(got: text)) }
        return e
    }

    private static func mismatch(_ expected: String, _ value: UnsafeRawBufferPointer) -> Fault {
        Fault(path: nil, problem: ": expected \(expected), found \(kind(value))")
    }

    /// The JSON type's name, as `JSONValue.kindName` says it.
    private static func kind(_ value: UnsafeRawBufferPointer) -> String {
        switch value.first {
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "{"): "an object"
        default: "a number"
        }
    }

    /// A key as the client wrote it: its escapes (rare in a key) undone.
    private static func keyText(_ key: UnsafeRawBufferPointer) -> String {
        guard key.contains(UInt8(ascii: "\\")) else { return String(decoding: key, as: UTF8.self) }
        let quoted = [UInt8(ascii: "\"")] + Array(key) + [UInt8(ascii: "\"")]
        return (try? JSONParser.parse(quoted))?.stringValue ?? String(decoding: key, as: UTF8.self)
    }
}
