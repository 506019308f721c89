import NIOSSL

/// TLS contexts from PEM files, for the server and for clients.
public enum ServerTLS {
    /// The server's context: its certificate chain and key, TLS 1.2 or later;
    /// with `clientCA`, every client must present a certificate it signed.
    public static func context(certificate: String, key: String, clientCA: String? = nil) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCA {
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .file(clientCA)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// A client's context trusting `ca` (else the system's roots), with an
    /// optional client certificate and key.
    public static func clientContext(ca: String?, certificate: String? = nil, key: String? = nil) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let ca { configuration.trustRoots = .file(ca) }
        if let certificate, let key {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
