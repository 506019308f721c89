/// Why the server could not be set up: each a sentence naming the file,
/// the address or the setting at fault, for the person starting it.
public enum ServerError: Error, CustomStringConvertible, Sendable {
    /// The token file is unreadable, malformed or open to others.
    case tokens(String)
    /// The listening address cannot be bound.
    case cannotListen(String)
    /// A TLS certificate or key file is missing, unreadable or unusable.
    case tlsFile(String)
    /// A reload that would change what only a restart may change.
    case reload(String)
    /// The record that a newer primary superseded this one cannot be read.
    case fence(String)

    public var description: String {
        switch self {
        case .tokens(let why), .cannotListen(let why), .tlsFile(let why), .reload(let why), .fence(let why): why
        }
    }
}
