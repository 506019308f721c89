import AccordCore

/// Why a registry call failed.
public enum RegistryError: CodedError, Sendable, Equatable {
    /// The data directory has no projections yet (open it writable once).
    case notBuilt
    /// A query named something that does not exist.
    case notFound(String)

    public var description: String {
        switch self {
        case .notBuilt: "this data directory has no projections yet; start the server on it once to build them"
        case .notFound(let what): "\(what) was not found"
        }
    }

    public var code: ErrorCode {
        switch self {
        case .notBuilt: .internal
        case .notFound: .notFound
        }
    }
}
