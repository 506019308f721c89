/// Why a value of the shared vocabulary (a stream name, an event id, a time)
/// was refused, or a private file could not be made.
public enum CoreError: CodedError, Equatable, Sendable {
    /// The value breaks its type's rule; the message says which.
    case invalidValue(String)
    /// A file or directory could not be created, written or read.
    case file(String)

    public var code: ErrorCode {
        switch self {
        case .invalidValue: .badRequest
        case .file: .internal
        }
    }

    public var description: String {
        switch self {
        case .invalidValue(let why), .file(let why): why
        }
    }
}
