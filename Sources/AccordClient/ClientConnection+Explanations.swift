import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

extension ClientConnection {
    /// A sentence for a connection failure, naming TLS problems as such;
    /// never a library type's own description.
    static func explain(_ error: any Error) -> String {
        switch error {
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            explainTLS("\(error)")
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { explain(first.error) } else { "the host name does not resolve to an address" }
        case let error as IOError:
            explain(errno: error.errnoCode)
        case ChannelError.connectTimeout:
            "the connection timed out"
        case let error as ClientError:
            error.description
        default:
            "the connection failed"
        }
    }

    static func explain(errno code: CInt) -> String {
        switch code {
        case ECONNREFUSED: "connection refused: nothing is listening there (is the server running, on this port?)"
        case ECONNRESET: "the server reset the connection"
        case ETIMEDOUT: "the connection timed out"
        case EHOSTUNREACH, ENETUNREACH: "no route to the host"
        default: String(cString: strerror(code)).lowercased()
        }
    }

    static func explainTLS(_ text: String) -> String {
        let reason =
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                "the server's certificate is not signed by a CA you trust (--tls-ca)"
            } else if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") {
                "the server does not speak TLS on this port (drop --tls?)"
            } else if text.lowercased().contains("hostname") || text.contains("HOSTNAME") {
                "the server's certificate is not for this host name"
            } else if text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE") {
                "the server refused the handshake: it may require a client certificate (--tls-certificate, --tls-key)"
            } else {
                "check the server's certificate and the CA you trust (--tls-ca)"
            }
        return "the TLS handshake failed: \(reason)"
    }
}
