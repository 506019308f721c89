/// The members of a JSON object, kept sorted by key in the canonical order
/// (RFC 8785: by UTF-16 code units), each key once.
///
/// Sorted once, when built (the parser checks order as it reads; a
/// canonical text is already in order), so that writing the canonical form
/// is a walk and a lookup a binary search: no hashing, and no dictionary
/// to allocate for every object of every request.
public struct JSONObject: Sendable, Hashable {
    public typealias Member = (key: String, value: JSONValue)

    private var keys: [String]
    private var values: [JSONValue]

    /// The empty object.
    public init() {
        keys = []
        values = []
    }

    /// The members of a dictionary, in canonical order.
    public init(_ dictionary: [String: JSONValue]) {
        let sorted = dictionary.sorted { Self.precedes($0.key, $1.key) }
        keys = sorted.map(\.key)
        values = sorted.map(\.value)
    }

    /// Members as read, in any order; `nil` when a key repeats.
    init?(unordered keys: [String], _ values: [JSONValue]) {
        var inOrder = true
        for index in keys.indices.dropFirst() where !Self.precedes(keys[index - 1], keys[index]) {
            inOrder = false
            break
        }
        if inOrder {
            self.keys = keys
            self.values = values
            return
        }
        let order = keys.indices.sorted { Self.precedes(keys[$0], keys[$1]) }
        self.keys = order.map { keys[$0] }
        self.values = order.map { values[$0] }
        for index in self.keys.indices.dropFirst() where self.keys[index - 1] == self.keys[index] { return nil }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The keys in canonical order.
    public var orderedKeys: [String] { keys }

    /// The member `key`'s value, or `nil`; setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { index(of: key).found.map { values[$0] } }
        set {
            let (found, insertAt) = index(of: key)
            switch (found, newValue) {
            case (let index?, let value?): values[index] = value
            case (let index?, nil):
                keys.remove(at: index)
                values.remove(at: index)
            case (nil, let value?):
                keys.insert(key, at: insertAt)
                values.insert(value, at: insertAt)
            case (nil, nil): break
            }
        }
    }

    /// Where `key` sits among the members in canonical order, or `nil`.
    public func position(of key: String) -> Int? { index(of: key).found }

    /// The member at `position` in canonical order.
    public subscript(position position: Int) -> Member { (keys[position], values[position]) }

    /// Removes `key`; returns its value, if it was there.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        defer { self[key] = nil }
        return self[key]
    }

    /// Sets `key`; returns its previous value, if any.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        defer { self[key] = value }
        return self[key]
    }

    /// The members as a dictionary.
    public var dictionary: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: zip(keys, values))
    }

    /// The position of `key`, or where it would go.
    private func index(of key: String) -> (found: Int?, insertAt: Int) {
        if keys.count <= 8 {
            for (index, candidate) in keys.enumerated() {
                if candidate == key { return (index, index) }
                if Self.precedes(key, candidate) { return (nil, index) }
            }
            return (nil, keys.count)
        }
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] == key { return (middle, middle) }
            if Self.precedes(keys[middle], key) { low = middle + 1 } else { high = middle }
        }
        return (nil, low)
    }

    /// Whether `a` sorts before `b` by UTF-16 code units (RFC 8785 §3.2.3).
    /// UTF-8 bytes sort the same way except where a character from U+E000
    /// to U+FFFF meets one beyond U+FFFF (UTF-16 writes those as surrogates
    /// below U+E000), so bytes decide unless such a byte appears.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        let bytewise = a.withUTF8 { x in
            b.withUTF8 { y -> Bool? in
                let length = Swift.min(x.count, y.count)
                var index = 0
                while index < length, x[index] == y[index] { index += 1 }
                guard index < length else { return x.count < y.count }
                // Either side at U+E000 or beyond (lead byte 0xEE..0xF4): UTF-16 decides.
                if x[index] >= 0xEE || y[index] >= 0xEE { return nil }
                return x[index] < y[index]
            }
        }
        return bytewise ?? a.utf16.lexicographicallyPrecedes(b.utf16)
    }
}

extension JSONObject: Sequence {
    public struct Iterator: IteratorProtocol {
        let object: JSONObject
        var index = 0

        public mutating func next() -> Member? {
            guard index < object.keys.count else { return nil }
            defer { index += 1 }
            return (object.keys[index], object.values[index])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
