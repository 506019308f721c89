/// Why a JSON text was refused.
public enum JSONError: Error, Equatable, Sendable {
    /// The text is not JSON; `offset` is the byte where parsing stopped.
    case syntax(offset: Int, reason: String)
    /// Nesting is deeper than the parser's limit.
    case tooDeep(limit: Int)
    /// An object names the same key twice (refused: the meaning would be ambiguous).
    case duplicateKey(String)
    /// A value had a different JSON type than required.
    case notAnObject
}

extension JSONError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .syntax(let offset, let reason): "invalid JSON at byte \(offset): \(reason)"
        case .tooDeep(let limit): "JSON nested deeper than \(limit) levels"
        case .duplicateKey(let key): "JSON object repeats the key \"\(key)\""
        case .notAnObject: "expected a JSON object"
        }
    }
}
