extension JSONValue {
    /// The largest magnitude an integer may have and still be held exactly by
    /// an IEEE 754 double: 2^53 − 1 (I-JSON, RFC 7493 section 2.2).
    public static let maxExactInteger: Int64 = 9_007_199_254_740_991

    /// The path of the first integer beyond ±(2^53 − 1) in this value, or `nil`.
    ///
    /// RFC 8785 reads every number as a double; such an integer would be
    /// stored as digits no other implementation reproduces, so new data with
    /// one is refused by name rather than silently rounded.
    public func firstInexactInteger(at path: String) -> String? {
        switch self {
        case .integer(let i): return i.magnitude > UInt64(Self.maxExactInteger) ? path : nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = element.firstInexactInteger(at: "\(path)[\(index)]") { return found }
            }
            return nil
        case .object(let members):
            return members.firstInexactInteger(at: path)
        case .null, .bool, .double, .string: return nil
        }
    }
}

extension JSONObject {
    /// See `JSONValue.firstInexactInteger(at:)`; members are named `path.key`.
    public func firstInexactInteger(at path: String) -> String? {
        for (key, value) in self {
            switch value {
            case .null, .bool, .double, .string: continue
            default: if let found = value.firstInexactInteger(at: "\(path).\(key)") { return found }
            }
        }
        return nil
    }
}
