/// The name of one stream: in Accord, an agreement id such as `DSA-0042`.
///
/// Invariants: 1 to 200 bytes of UTF-8 (a storage key: a schema's
/// character count is the same for ASCII names), no control, bidirectional
/// or zero-width characters, and NFC (`String.nameProblem`), so that a name
/// that looks like another is the other, and index keys can end in a NUL
/// separator and sort by name.
public struct StreamName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let maxBytes = 200

    public let rawValue: String

    /// Validates `rawValue`; throws `CoreError.invalidValue` with the reason.
    public init(_ rawValue: String) throws(CoreError) {
        let utf8 = rawValue.utf8
        guard !utf8.isEmpty else { throw .invalidValue("a stream name must not be empty") }
        guard utf8.count <= Self.maxBytes else {
            throw .invalidValue("a stream name must be at most \(Self.maxBytes) bytes")
        }
        if let problem = rawValue.nameProblem { throw .invalidValue("a stream name \(problem)") }
        self.rawValue = rawValue
    }

    /// A name read back from storage, where it was validated when written.
    package init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: StreamName, rhs: StreamName) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}
