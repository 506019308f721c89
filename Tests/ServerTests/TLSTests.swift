import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import NIOSSL
import Server
import Testing

/// TLS with certificates the test makes with `openssl`: a CA, a server
/// certificate for 127.0.0.1, and a client certificate.
@Suite struct TLSTests {
    let dir = TemporaryDirectory("tls")

    func openssl(_ arguments: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments.split(separator: " ").map(String.init)
        process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl \(arguments)")
    }

    func makeCertificates() throws {
        try Data("subjectAltName=IP:127.0.0.1,DNS:localhost\n".utf8).write(to: URL(fileURLWithPath: dir.child("san.ext")))
        try openssl(
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=accord-test-ca")
        for name in ["server", "client"] {
            try openssl("req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout \(name).key -out \(name).csr -subj /CN=\(name)")
            try openssl("x509 -req -in \(name).csr -CA ca.pem -CAkey ca.key -CAcreateserial -out \(name).pem -days 2 -extfile san.ext")
        }
    }

    @Test func clientsTalkOverTLSAndPlainTextIsRefused() async throws {
        try makeCertificates()
        let tls = try ServerTLS.context(certificate: dir.child("server.pem"), key: dir.child("server.key"))
        try await TestServer.with(dir, configure: { $0.tls = tls }) { server in
            let client = try ServerTLS.clientContext(ca: dir.child("ca.pem"))
            let head = try await AccordClient.connect(port: server.port, tls: client) { client in
                try await client.request("append", Requests.append("$tls", Requests.event("Noted", [:])))
                return try await client.request("ping")["head"]
            }
            #expect(head == 1)
            // A plain-text client gets no answer: the server expects a TLS handshake and closes.
            let socket = try LineSocket(port: server.port)
            try? await socket.send(#"{"id":1,"op":"ping"}"# + "\n")
            let line = await socket.readLine(timeout: .seconds(10))
            #expect(line == nil || line?.contains(#""ok":true"#) == false)
            // A client that does not trust the server's CA refuses it.
            await #expect(throws: (any Error).self) {
                try await AccordClient.connect(port: server.port, tls: try ServerTLS.clientContext(ca: nil)) { client in
                    try await client.request("ping")
                }
            }
        }
    }

    @Test func clientCertificatesCanBeRequired() async throws {
        try makeCertificates()
        let tls = try ServerTLS.context(certificate: dir.child("server.pem"), key: dir.child("server.key"), clientCA: dir.child("ca.pem"))
        try await TestServer.with(dir, configure: { $0.tls = tls }) { server in
            let withCertificate = try ServerTLS.clientContext(
                ca: dir.child("ca.pem"), certificate: dir.child("client.pem"), key: dir.child("client.key"))
            let pong = try await AccordClient.connect(port: server.port, tls: withCertificate) { client in try await client.request("ping")
            }
            #expect(pong["head"] == 0)
            await #expect(throws: (any Error).self) {
                try await AccordClient.connect(port: server.port, tls: try ServerTLS.clientContext(ca: dir.child("ca.pem"))) { client in
                    try await client.request("ping")
                }
            }
        }
    }
}

extension TLSTests {
    /// A reload (SIGHUP) puts a new certificate in place for new connections;
    /// an open connection keeps its session.
    @Test func aReloadReplacesTheCertificateWithoutDroppingConnections() async throws {
        try makeCertificates()
        try openssl(
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca2.key -out ca2.pem -days 2 -subj /CN=accord-test-ca-2")
        try openssl("req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server2.key -out server2.csr -subj /CN=server2")
        try openssl("x509 -req -in server2.csr -CA ca2.pem -CAkey ca2.key -CAcreateserial -out server2.pem -days 2 -extfile san.ext")
        let tls = try ServerTLS.context(certificate: dir.child("server.pem"), key: dir.child("server.key"))
        try await TestServer.with(dir, configure: { $0.tls = tls }) { server in
            let trustsOld = try ServerTLS.clientContext(ca: dir.child("ca.pem"))
            let trustsNew = try ServerTLS.clientContext(ca: dir.child("ca2.pem"))
            try await AccordClient.connect(port: server.port, tls: trustsOld) { open in
                try await open.request("ping")
                try server.server.reload(
                    tokens: TokenStore(), tls: try ServerTLS.context(certificate: dir.child("server2.pem"), key: dir.child("server2.key")))
                try await open.request("ping")
                try await AccordClient.connect(port: server.port, tls: trustsNew) { client in try await client.request("ping") }
                await #expect(throws: (any Error).self) {
                    try await AccordClient.connect(port: server.port, tls: trustsOld) { client in try await client.request("ping") }
                }
                // A reload never turns TLS off.
                #expect(throws: ServerError.self) { try server.server.reload(tokens: TokenStore(), tls: nil) }
            }
        }
    }
}
