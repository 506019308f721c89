extension JSONValue {
    /// The largest magnitude an integer may have and still be held exactly by
    /// an IEEE 754 double: 2^53 − 1 (I-JSON, RFC 7493 section 2.2).
    public static let maxExactInteger: Int64 = 9_007_199_254_740_991

    /// The path of the first integer beyond ±(2^53 − 1) in this value, below
    /// `path`, or `nil`.
    ///
    /// RFC 8785 reads every number as a double; such an integer would be
    /// stored as digits no other implementation reproduces, so new data with
    /// one is refused by name rather than silently rounded. Runs on every
    /// appended event: the path is spelled only when one is found.
    public func firstInexactInteger(at path: String) -> String? {
        inexactIntegerSuffix().map { path + $0 }
    }

    /// `.key` and `[i]` steps from this value to the first inexact integer,
    /// or `nil`: spelled only when one is found.
    public func firstInexactIntegerSuffix() -> String? { inexactIntegerSuffix() }

    fileprivate func inexactIntegerSuffix() -> String? {
        switch self {
        case .integer(let i): return i.magnitude > UInt64(Self.maxExactInteger) ? "" : nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let suffix = element.inexactIntegerSuffix() { return "[\(index)]" + suffix }
            }
            return nil
        case .object(let members): return members.inexactIntegerSuffix()
        case .null, .bool, .double, .string: return nil
        }
    }
}

extension JSONObject {
    /// See `JSONValue.firstInexactInteger(at:)`; members are named `path.key`.
    public func firstInexactInteger(at path: String) -> String? {
        inexactIntegerSuffix().map { path + $0 }
    }

    /// See `JSONValue.firstInexactIntegerSuffix()`; members are `.key`.
    public func firstInexactIntegerSuffix() -> String? { inexactIntegerSuffix() }

    fileprivate func inexactIntegerSuffix() -> String? {
        for (key, value) in self {
            if let suffix = value.inexactIntegerSuffix() { return ".\(key)" + suffix }
        }
        return nil
    }
}
