/// Encodes `Encodable` values into a `JSONValue` (and from there canonical
/// bytes), without Foundation's JSON machinery. `nil` optionals are omitted.
public struct JSONValueEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        return try tree(value).value
    }

    /// Encodes straight to canonical JSON bytes, without building a `JSONValue`.
    public func canonicalBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        try tree(value).write(into: &writer)
        return writer.bytes
    }

    private func tree<T: Encodable>(_ value: T) throws -> Node {
        let root = Node()
        try value.encode(to: ValueEncoder(node: root, codingPath: []))
        return root
    }
}

/// A mutable slot in the tree being built; containers write into it.
private final class Node {
    enum Content {
        case value(JSONValue)
        /// Members in the order encoded; `Codable` names each key once per container.
        case object([(key: String, node: Node)])
        case array([Node])
    }

    var content: Content = .value(.null)

    var value: JSONValue {
        switch content {
        case .value(let v): v
        case .object(let members):
            .object(JSONObject(Dictionary(members.map { ($0.key, $0.node.value) }, uniquingKeysWith: { _, last in last })))
        case .array(let elements): .array(elements.map(\.value))
        }
    }

    /// Writes the canonical form directly: members sorted by key (`JSONObject.precedes`).
    func write(into writer: inout JSONWriter) {
        switch content {
        case .value(let v):
            writer.write(v)
        case .object(let members):
            writer.bytes.append(UInt8(ascii: "{"))
            // `member(_:)` keeps keys unique, so sorting is all canonical form needs.
            for (i, member) in members.sorted(by: { JSONObject.precedes($0.key, $1.key) }).enumerated() {

                if i > 0 { writer.bytes.append(UInt8(ascii: ",")) }
                writer.write(string: member.key)
                writer.bytes.append(UInt8(ascii: ":"))
                member.node.write(into: &writer)
            }
            writer.bytes.append(UInt8(ascii: "}"))
        case .array(let elements):
            writer.bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { writer.bytes.append(UInt8(ascii: ",")) }
                element.write(into: &writer)
            }
            writer.bytes.append(UInt8(ascii: "]"))
        }
    }

    func member(_ key: String) -> Node {
        var members: [(key: String, node: Node)] = []
        if case .object(let m) = content { members = m }
        if let existing = members.last(where: { $0.key == key }) { return existing.node }
        // Drop the enum's reference first so the array grows in place, not by copy.
        content = .value(.null)
        let node = Node()
        members.append((key, node))
        content = .object(members)
        return node
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([])
    }

    func append() -> Node {
        var elements: [Node] = []
        if case .array(let e) = content { elements = e }
        content = .value(.null)
        let node = Node()
        elements.append(node)
        content = .array(elements)
        return node
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }
}

private struct ValueEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedContainer(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(node: node, codingPath: codingPath)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    func encodeNil() { node.content = .value(.null) }
    func encode(_ value: Bool) { node.content = .value(.bool(value)) }
    func encode(_ value: String) { node.content = .value(.string(value)) }
    func encode(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "JSON has no \(value)"))
        }
        node.content = .value(.double(value))
    }
    func encode(_ value: Float) throws { try encode(Double(value)) }
    func encode(_ value: Int) { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: Int8) { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: Int16) { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: Int32) { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: Int64) { node.content = .value(.integer(value)) }
    func encode(_ value: UInt) throws { try encodeUnsigned(UInt64(value)) }
    func encode(_ value: UInt8) { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: UInt16) { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: UInt32) { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: UInt64) throws { try encodeUnsigned(value) }

    private func encodeUnsigned(_ value: UInt64) throws {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) exceeds Int64"))
        }
        node.content = .value(.integer(exact))
    }

    func encode<T: Encodable>(_ value: T) throws {
        if let json = value as? JSONValue {
            node.content = .value(json)
            return
        }
        try value.encode(to: ValueEncoder(node: node, codingPath: codingPath))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    private func single(_ key: Key) -> SingleContainer {
        SingleContainer(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }

    func encodeNil(forKey key: Key) { single(key).encodeNil() }
    func encode(_ value: Bool, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: String, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Double, forKey key: Key) throws { try single(key).encode(value) }
    func encode(_ value: Float, forKey key: Key) throws { try single(key).encode(value) }
    func encode(_ value: Int, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Int8, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Int16, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Int32, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Int64, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt, forKey key: Key) throws { try single(key).encode(value) }
    func encode(_ value: UInt8, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt16, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt32, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt64, forKey key: Key) throws { try single(key).encode(value) }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try single(key).encode(value) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superEncoder() -> any Encoder { ValueEncoder(node: node, codingPath: codingPath) }

    func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    var count: Int {
        if case .array(let elements) = node.content { return elements.count }
        return 0
    }

    private func next() -> SingleContainer { SingleContainer(node: node.append(), codingPath: codingPath) }

    mutating func encodeNil() { next().encodeNil() }
    mutating func encode(_ value: Bool) { next().encode(value) }
    mutating func encode(_ value: String) { next().encode(value) }
    mutating func encode(_ value: Double) throws { try next().encode(value) }
    mutating func encode(_ value: Float) throws { try next().encode(value) }
    mutating func encode(_ value: Int) { next().encode(value) }
    mutating func encode(_ value: Int8) { next().encode(value) }
    mutating func encode(_ value: Int16) { next().encode(value) }
    mutating func encode(_ value: Int32) { next().encode(value) }
    mutating func encode(_ value: Int64) { next().encode(value) }
    mutating func encode(_ value: UInt) throws { try next().encode(value) }
    mutating func encode(_ value: UInt8) { next().encode(value) }
    mutating func encode(_ value: UInt16) { next().encode(value) }
    mutating func encode(_ value: UInt32) { next().encode(value) }
    mutating func encode(_ value: UInt64) throws { try next().encode(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try next().encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(node: node.append(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        ValueEncoder(node: node.append(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(node: node.append(), codingPath: codingPath) }
}
