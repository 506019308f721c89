/// What the client's reconnection is doing, for a program that tells its
/// user (the CLI prints each on standard error): a client that retries in
/// silence looks hung.
public enum ReconnectEvent: Sendable {
    /// The connection dropped for `reason`; the first attempt follows after `retryIn`.
    case dropped(reason: ClientError, retryIn: Duration)
    /// Attempt `attempt` (1-based) failed with `error`; the next follows after `retryIn`.
    case attemptFailed(attempt: Int, error: any Error, retryIn: Duration)
    /// Connected again after `attempts` attempts; streams resume.
    case reconnected(attempts: Int)
    /// The client stopped trying: `reason` is permanent (`ClientError.isPermanent`),
    /// or the policy's attempts ran out.
    case gaveUp(reason: ClientError)
}

extension ClientError {
    /// Whether retrying cannot help until someone changes something: the
    /// server refused the token or the role, an administrator closed the
    /// connection, or the server's certificate is not one this client trusts.
    /// A reconnecting client stops on these instead of retrying for ever.
    public var isPermanent: Bool {
        switch self {
        case .server(let code, _, _): code == .unauthenticated || code == .forbidden
        case .connectionLost(let said?): said.hasPrefix("unauthenticated:") || said.hasPrefix("forbidden:")
        case .connectFailed(let why): why.contains("TLS handshake failed") && why.contains("certificate")
        case .connectionLost(nil), .timedOut, .unexpectedAnswer, .verificationFailed, .usage: false
        }
    }
}
