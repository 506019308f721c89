/// Why a value of the shared vocabulary (a stream name, an event id, a time)
/// was refused.
public enum CoreError: CodedError, Equatable, Sendable {
    /// The value breaks its type's rule; the message says which.
    case invalidValue(String)

    public var code: ErrorCode { .badRequest }

    public var description: String {
        switch self {
        case .invalidValue(let why): why
        }
    }
}
