/// Why a key, a note or a checkpoint was refused.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key string or key file that is not in the signed-note key format.
    case malformedKey(String)
    /// A note or checkpoint text that is not in the C2SP format.
    case malformedNote(String)
    /// No signature line by the verifier's key, or one that does not verify.
    case badSignature(String)
    /// The key file could not be read or written.
    case keyFile(String)

    public var description: String {
        switch self {
        case .malformedKey(let why), .malformedNote(let why), .badSignature(let why), .keyFile(let why): why
        }
    }
}
