import NIOSSL
import Synchronization

/// The tokens and TLS context new requests and connections are checked
/// against: set from the configuration at start, replaced whole by a reload
/// (SIGHUP), so no connection ever sees half of one and half of the other.
final class Credentials: Sendable {
    struct Current: Sendable {
        var tokens: TokenStore
        var tls: NIOSSLContext?
        /// Set when the server started with tokens, or a reload brought
        /// some; never cleared while it runs, so revoking every token locks
        /// everyone out rather than letting everyone in.
        var requiresAuthentication: Bool
    }

    private let current: Mutex<Current>

    init(tokens: TokenStore, tls: NIOSSLContext?) {
        current = Mutex(Current(tokens: tokens, tls: tls, requiresAuthentication: !tokens.isEmpty))
    }

    var tls: NIOSSLContext? { current.withLock { $0.tls } }
    var requiresAuthentication: Bool { current.withLock { $0.requiresAuthentication } }
    var now: Current { current.withLock { $0 } }

    func replace(_ new: Current) {
        current.withLock { $0 = new }
    }
}
