/// Decodes `Decodable` values straight from a parsed `JSONValue`, without
/// Foundation's JSON machinery (faster, and errors name the JSON path).
///
/// Missing optional members and `null` decode as `nil`; integers must be exact.
/// A string that names no case of a `CaseIterable` enum is refused with the
/// accepted values listed. With `refusesUnknownMembers`, an object member that
/// the type's `CodingKeys` do not name is refused by its path, so data the
/// type would drop is never accepted (types whose keys take any string stay free-form).
public struct JSONValueDecoder {
    public var refusesUnknownMembers: Bool

    public init(refusesUnknownMembers: Bool = false) {
        self.refusesUnknownMembers = refusesUnknownMembers
    }

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: ValueDecoder(value: value, codingPath: [], strict: refusesUnknownMembers))
    }

    /// Parses `bytes` and decodes them.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: JSONParser.parse(bytes))
    }
}

extension CodingUserInfoKey {
    /// Set (to `true`) when decoding what Accord stored rather than what a
    /// client sent (`refusesUnknownMembers` off): values are read as they were
    /// written (a date of an earlier build's year 10000), never refused anew.
    public static let readsStoredValues = CodingUserInfoKey(rawValue: "accord.readsStoredValues")!
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let strict: Bool
    var userInfo: [CodingUserInfoKey: Any] { strict ? [:] : [.readsStoredValues: true] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch(value, "an object", codingPath) }
        if strict, let unknown = members.orderedKeys.first(where: { Key(stringValue: $0) == nil }) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath + [NameKey(unknown)], debugDescription: "is not a member this object may have"))
        }
        return KeyedDecodingContainer(KeyedContainer(members: members, codingPath: codingPath, strict: strict))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch(value, "an array", codingPath) }
        return UnkeyedContainer(elements: elements, codingPath: codingPath, strict: strict)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(value: value, codingPath: codingPath, strict: strict)
    }
}

private struct NameKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Enumerations sent as strings: decoded here so that a wrong value is answered
/// with the accepted ones, not with the standard library's wording.
private func enumeration<E: CaseIterable & RawRepresentable<String>>(
    _ type: E.Type, _ value: JSONValue, _ path: [any CodingKey]
) throws
    -> E
{
    guard case .string(let text) = value else { throw mismatch(value, "a string", path) }
    guard let e = E(rawValue: text) else {
        throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: E.mustBeOneOf(got: text)))
    }
    return e
}

private func mismatch(_ value: JSONValue, _ expected: String, _ path: [any CodingKey]) -> DecodingError {
    .typeMismatch(Any.self, .init(codingPath: path, debugDescription: "expected \(expected), found \(value.kindName)"))
}

extension JSONValue {
    /// The JSON type's name, for messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let strict: Bool

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(value, "a boolean", codingPath) }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw mismatch(value, "a string", codingPath) }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let d = value.doubleValue else { throw mismatch(value, "a number", codingPath) }
        return d
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard let i = value.int64Value else { throw mismatch(value, "an integer", codingPath) }
        guard let exact = I(exactly: i) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "must be an integer from \(I.min) to \(I.max); got \(i)"))
        }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == JSONValue.self { return value as! T }
        do {
            return try T(from: ValueDecoder(value: value, codingPath: codingPath, strict: strict))
        } catch let error as DecodingError {
            // An enumeration's wrong value is answered with the accepted ones. The
            // cast to a constrained existential demangles its type every time (a
            // fifth of a server's CPU when it sat on the success path), so only here.
            if case .string = value, let enumType = T.self as? any (CaseIterable & RawRepresentable<String>).Type {
                _ = try enumeration(enumType, value, codingPath)
            }
            throw error
        }
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: JSONObject
    let codingPath: [any CodingKey]
    let strict: Bool

    var allKeys: [Key] { members.orderedKeys.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool { (members[key.stringValue] ?? .null) == .null }

    private func single(_ key: Key) throws -> SingleContainer {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing \(key.stringValue)"))
        }
        return SingleContainer(value: value, codingPath: codingPath + [key], strict: strict)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try single(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try single(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try single(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try single(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try single(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try single(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try single(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try single(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try single(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try single(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try single(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try single(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try single(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try single(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try single(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: single(key).value, codingPath: codingPath + [key], strict: strict).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: single(key).value, codingPath: codingPath + [key], strict: strict).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(members), codingPath: codingPath, strict: strict) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key], strict: strict)
    }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "[\(intValue ?? 0)]" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let strict: Bool
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], strict: Bool) {
        self.elements = elements
        self.codingPath = codingPath
        self.strict = strict
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> SingleContainer {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "array ended early"))
        }
        defer { currentIndex += 1 }
        return SingleContainer(value: elements[currentIndex], codingPath: codingPath + [IndexKey(intValue: currentIndex)], strict: strict)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let element = try next()
        return try ValueDecoder(value: element.value, codingPath: element.codingPath, strict: strict).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let element = try next()
        return try ValueDecoder(value: element.value, codingPath: element.codingPath, strict: strict).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let element = try next()
        return ValueDecoder(value: element.value, codingPath: element.codingPath, strict: strict)
    }
}

extension DecodingError {
    /// A sentence naming the JSON path, for people who sent the data.
    public var explanation: String {
        let path = fieldPath ?? "the value"
        switch self {
        case .keyNotFound: return "\(path) is required"
        case .valueNotFound: return "\(path) is missing"
        case .typeMismatch(_, let context): return "\(path): \(context.debugDescription)"
        // Corrupted data is described by a predicate on the value at the path ("must be …", "is not …").
        case .dataCorrupted(let context): return "\(path) \(context.debugDescription)"
        @unknown default: return String(describing: self)
        }
    }

    /// The path of the member at fault (`recipient.id`, `dataItems[2]`), or
    /// `nil` when it is the whole value.
    public var fieldPath: String? {
        var keys: [String]
        switch self {
        case .keyNotFound(let key, let context): keys = context.codingPath.map(\.stringValue) + [key.stringValue]
        case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            keys = context.codingPath.map(\.stringValue)
        @unknown default: keys = []
        }
        guard !keys.isEmpty else { return nil }
        return keys.enumerated().map { i, k in i == 0 || k.hasPrefix("[") ? k : "." + k }.joined()
    }
}
