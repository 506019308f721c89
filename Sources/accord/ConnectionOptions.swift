import AccordClient
import ArgumentParser
import CommandSupport
import Foundation
import NIOSSL
import Server

/// How a command reaches a server: token, TLS and timeout, shared by every
/// command that talks to one (`verify` too).
struct ConnectionOptions: ParsableArguments {
    @Option(help: "A bearer token for servers that require one (default: $ACCORD_TOKEN).") var token: String?
    @Flag(help: "Connect with TLS, trusting the system's roots (or --tls-ca).") var tls = false
    @Option(help: "Connect with TLS, trusting this CA certificate (PEM).") var tlsCa: String?
    @Option(help: "A client certificate (PEM), for servers that require one.") var tlsCertificate: String?
    @Option(help: "The client certificate's private key (PEM).") var tlsKey: String?
    @Option(help: "Seconds to wait for the connection and for each answer (default 10).") var timeout: Double = 10

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout takes seconds, more than 0 and at most 86400") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
    }

    /// The client configuration for `endpoint` (`HOST:PORT`).
    func configuration(endpoint: String, clientName: String = "accord-cli") throws -> ClientConfiguration {
        let (host, port) = try Endpoint.parse(endpoint)
        let limit = Duration.milliseconds(Int64(timeout * 1_000))
        return ClientConfiguration(
            host: host, port: port, tls: try tlsContext(), token: token ?? ProcessInfo.processInfo.environment["ACCORD_TOKEN"],
            clientName: clientName, connectTimeout: limit, requestTimeout: limit)
    }

    private func tlsContext() throws -> NIOSSLContext? {
        guard tls || tlsCa != nil || tlsCertificate != nil else { return nil }
        return try ServerTLS.clientContext(ca: tlsCa, certificate: tlsCertificate, key: tlsKey)
    }

    /// The server named by `--server`, else `$ACCORD_SERVER`, else the default.
    static func endpoint(_ option: String?) -> String {
        option ?? ProcessInfo.processInfo.environment["ACCORD_SERVER"] ?? "127.0.0.1:7411"
    }
}
