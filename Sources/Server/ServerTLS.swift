import AccordCore
import Foundation
import NIOSSL

/// TLS contexts from PEM files, for the server and for clients.
///
/// Every failure names the file and what is wrong with it, never a TLS
/// library's own error text.
public enum ServerTLS {
    /// The server's context: its certificate chain and key, TLS 1.2 or later;
    /// with `clientCA`, every client must present a certificate it signed.
    public static func context(certificate: String, key: String, clientCA: String? = nil) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try certificates(certificate, "certificate").map { .certificate($0) },
            privateKey: .privateKey(try privateKey(key)))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCA {
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try certificates(clientCA, "client CA certificate"))
        }
        return try makeContext(configuration)
    }

    /// A client's context trusting `ca` (else the system's roots), with an
    /// optional client certificate and key.
    public static func clientContext(ca: String?, certificate: String? = nil, key: String? = nil) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let ca { configuration.trustRoots = .certificates(try certificates(ca, "CA certificate")) }
        if let certificate, let key {
            configuration.certificateChain = try certificates(certificate, "client certificate").map { .certificate($0) }
            configuration.privateKey = .privateKey(try privateKey(key))
        }
        return try makeContext(configuration)
    }

    private static func certificates(_ path: String, _ what: String) throws -> [NIOSSLCertificate] {
        try readable(path, what)
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            throw ServerError.tlsFile("the TLS \(what) \(path) holds no PEM certificate")
        }
        return certificates
    }

    private static func privateKey(_ path: String) throws -> NIOSSLPrivateKey {
        try readable(path, "private key")
        // Whoever reads the key can impersonate the server, as with the signing key.
        if let problem = PrivateFile.openness(of: path, what: "TLS private key") { throw ServerError.tlsFile(problem) }
        guard let key = try? NIOSSLPrivateKey(file: path, format: .pem) else {
            throw ServerError.tlsFile("the TLS private key \(path) holds no PEM private key (or it is encrypted)")
        }
        return key
    }

    private static func readable(_ path: String, _ what: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw ServerError.tlsFile("the TLS \(what) \(path) does not exist") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ServerError.tlsFile("the TLS \(what) \(path) cannot be read by this user")
        }
    }

    private static func makeContext(_ configuration: TLSConfiguration) throws -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ServerError.tlsFile("the TLS certificate and private key do not belong together, or one is unusable")
        }
    }
}

extension ServerTLS {
    /// When the first certificate in the PEM file at `path` (the server's
    /// own) stops being valid, in Unix seconds; nil when it cannot be read.
    public static func expiry(ofCertificate path: String) -> Int? {
        guard let first = try? NIOSSLCertificate.fromPEMFile(path).first else { return nil }
        return Int(first.notValidAfter)
    }
}
