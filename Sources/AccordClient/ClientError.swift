import AccordCore
import AccordJSON

/// Why a client call failed, with the protocol's code when the server gave one.
public enum ClientError: CodedError, Sendable {
    /// The server answered `"ok": false`.
    case server(code: ErrorCode, message: String, error: JSONValue)
    /// The connection could not be made (refused, unreachable, TLS failed).
    case connectFailed(String)
    /// The connection dropped before the answer; `serverSaid` is the server's
    /// last error line when it closed the connection with one (`overloaded`,
    /// `line_too_long`, `unauthenticated`).
    case connectionLost(serverSaid: String?)
    /// No answer within the configured time.
    case timedOut(String)
    /// The server's answer did not have the expected shape.
    case unexpectedAnswer(String)
    /// A proof or receipt did not verify: the server's answer is inconsistent.
    case verificationFailed(String)
    /// A configuration mistake on the client side (a malformed endpoint).
    case usage(String)

    public var code: ErrorCode {
        switch self {
        case .server(let code, _, _): code
        case .connectFailed, .connectionLost, .timedOut: .unavailable
        case .unexpectedAnswer, .verificationFailed: .internal
        case .usage: .badRequest
        }
    }

    public var description: String {
        switch self {
        case .server(let code, let message, _): "\(code.rawValue): \(message)"
        case .connectFailed(let why): "could not connect: \(why)"
        case .connectionLost(let said?): "the server closed the connection: \(said)"
        case .connectionLost(nil): "the connection to the server was lost"
        case .timedOut(let what): "no answer in time: \(what)"
        case .unexpectedAnswer(let what): "the server's answer was not understood: \(what)"
        case .verificationFailed(let what): "verification failed: \(what)"
        case .usage(let what): what
        }
    }

    /// The server's error object, for `.server`.
    public var serverError: JSONValue? {
        if case .server(_, _, let error) = self { return error }
        return nil
    }
}
