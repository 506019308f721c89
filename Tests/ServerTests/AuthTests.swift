import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import Server
import Testing

/// Tokens, roles and provenance, over real connections.
@Suite struct AuthTests {
    let dir = TemporaryDirectory("auth")

    /// One token per role, and the server configured with them.
    static func tokens() throws -> (TokenStore, [String: String]) {
        var store = TokenStore()
        var secrets: [String: String] = [:]
        for (name, role) in [
            ("case-system", Role.writer), ("dashboard", .reader), ("police", .recipient(id: "R-POL-1")),
            ("regulator", .auditor), ("ops", .admin),
        ] {
            secrets[role.name] = try store.create(name: name, role: role)
        }
        return (store, secrets)
    }

    static func code(_ client: AccordClient, _ op: String, _ members: [String: JSONValue] = [:]) async -> String? {
        do {
            _ = try await client.request(op, members)
            return nil
        } catch {
            return (error as? ClientError)?.code.rawValue ?? "?"
        }
    }

    /// Every operation, with members that make it valid for the police recipient's own data.
    static let operations: [(String, [String: JSONValue])] = [
        ("ping", [:]), ("checkpoint", [:]), ("prove_inclusion", ["position": 0]), ("prove_consistency", ["oldSize": 1]),
        ("append", Requests.append("DSA-9", Requests.event("AgreementProposed", Requests.proposal))),
        ("append", Requests.append("$ops", Requests.event("Noted", [:]))),
        ("read", ["agreementId": "DSA-1"]), ("read_all", [:]), ("position_at", ["recordedAt": "2025-01-01"]),
        ("register", [:]), ("law_enforcement_stats", [:]), ("export", ["table": "register"]),
        ("agreement", ["agreementId": "DSA-1"]), ("agreement", ["agreementId": "DSA-1", "history": true]),
        ("recipient", ["recipientId": "R-POL-1"]), ("recipient", ["recipientId": "R-UNI-1"]),
        ("watch", ["projection": "register"]), ("watch", ["projection": "recipient", "recipientId": "R-POL-1"]),
        ("subscribe", ["from": "end"]), ("connections", [:]), ("disconnect", ["connection": 999]),
        ("append", Requests.append("$keys", Requests.event("signing_key_rotated", [:]))),
        (
            "publish_edition",
            [
                "treeSize": 1, "root": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "manifestSha256": .string(String(repeating: "0", count: 64)),
                "editionDate": "2026-01-01",
            ]
        ),
    ]

    /// Which (op index) each role may run; everything else must be `forbidden`.
    static let allowed: [String: Set<Int>] = [
        "writer": Set(0..<19).subtracting([5]),
        "reader": [0, 1, 2, 3, 9, 10, 11, 12, 16],
        "recipient": [0, 1, 2, 3, 12, 14, 17],
        "auditor": Set(0..<19).subtracting([4, 5]).union([22]),
        "admin": Set(0..<21).union([22]),
    ]

    @Test func everyOperationForEveryRole() async throws {
        let (store, secrets) = try Self.tokens()
        try await TestServer.with(dir, configure: { $0.tokens = store }) { server in
            try await AccordClient.connect(port: server.port) { client in
                #expect(client.info["authRequired"] == true)
                try await client.request("hello", ["token": .string(secrets["admin"]!)])
                try await client.request(
                    "append",
                    Requests.approvedWithAccess("DSA-1"))
            }
            for (role, secret) in secrets {
                try await AccordClient.connect(port: server.port) { client in
                    let hello = try await client.request("hello", ["token": .string(secret)])
                    #expect(hello["role"] == .string(role))
                    for (index, (op, members)) in Self.operations.enumerated() {
                        let code = await Self.code(client, op, members)
                        if Self.allowed[role]!.contains(index) {
                            #expect(
                                code != "forbidden" && code != "unauthenticated",
                                "\(role) should be allowed \(op) #\(index), got \(code ?? "ok")")
                        } else {
                            #expect(code == "forbidden", "\(role) should be forbidden \(op) #\(index), got \(code ?? "ok")")
                        }
                    }
                }
            }
        }
    }

    @Test func beforeHelloOnlyPublicOperationsAnswer() async throws {
        let (store, secrets) = try Self.tokens()
        // A long authentication timeout: on a loaded machine these requests may outlast the default 10 s.
        try await TestServer.with(
            dir,
            configure: {
                $0.tokens = store
                $0.authTimeout = .seconds(120)
            }
        ) { server in
            try await AccordClient.connect(port: server.port) { client in
                #expect(await Self.code(client, "ping") == nil)
                // The signed head and proofs reveal hashes only: public, as in Certificate Transparency.
                #expect(await Self.code(client, "checkpoint") == nil)
                #expect(await Self.code(client, "gateways") == nil)
                #expect(await Self.code(client, "health") == "unauthenticated")
                #expect(await Self.code(client, "register") == "unauthenticated")
                #expect(
                    await Self.code(client, "append", Requests.append("DSA-1", Requests.event("AgreementProposed", Requests.proposal)))
                        == "unauthenticated")
                #expect(await Self.code(client, "hello", ["token": "acc_not-a-token"]) == "unauthenticated")
                #expect(await Self.code(client, "hello", ["client": "me"]) == "unauthenticated")
                #expect(await Self.code(client, "register") == "unauthenticated")
                // The principal is the token's name, whatever the client calls itself:
                // a request naming one is refused (requests are strict), not obeyed.
                try await client.request("hello", ["token": .string(secrets["writer"]!)])
                var forged = Requests.append("DSA-2", Requests.event("AgreementProposed", Requests.proposal))
                forged["principal"] = "mallory"
                #expect(await Self.code(client, "append", forged) == "bad_request")
                try await client.request("append", Requests.append("DSA-2", Requests.event("AgreementProposed", Requests.proposal)))
            }
            #expect(try await server.readable().readStream(StreamName("DSA-2")).first?.principal == "case-system")
            #expect(try await server.readable().head == 1)
        }
    }

    @Test func aConnectionThatDoesNotAuthenticateIsClosed() async throws {
        let (store, _) = try Self.tokens()
        try await TestServer.with(
            dir,
            configure: {
                $0.tokens = store
                $0.authTimeout = .milliseconds(200)
            }
        ) { server in
            let socket = try LineSocket(port: server.port)
            _ = await socket.readLine()  // info
            let line = await socket.readLine()
            #expect(line?.contains("\"unauthenticated\"") == true)
            #expect(await socket.readLine() == nil)
        }
    }

    @Test func tokenFilesHoldOnlyHashesAndRoundTrip() throws {
        var store = TokenStore()
        let token = try store.create(name: "leeds", role: .recipient(id: "R-UNI-1"))
        #expect(token.hasPrefix("acc_") && token.count == 47)
        let path = dir.child("tokens.json")
        try store.save(path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(token))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        #expect(mode == 0o600)
        let loaded = try TokenStore.load(path)
        #expect(loaded.authenticate(token)?.name == "leeds")
        #expect(loaded.authenticate(token)?.role == .recipient(id: "R-UNI-1"))
        #expect(loaded.authenticate(token + "x") == nil)
        #expect(throws: (any Error).self) { try store.create(name: "leeds", role: .reader) }
    }
}

extension AuthTests {
    @Test func privateTransparencyKeepsTheCheckpointBehindHello() async throws {
        let (store, secrets) = try Self.tokens()
        try await TestServer.with(
            dir,
            configure: {
                $0.tokens = store
                $0.privateTransparency = true
            }
        ) { server in
            try await AccordClient.connect(port: server.port) { client in
                #expect(await Self.code(client, "checkpoint") == "unauthenticated")
                #expect(await Self.code(client, "prove_consistency", ["oldSize": 0]) == "unauthenticated")
                try await client.request("hello", ["token": .string(secrets["reader"]!)])
                #expect(await Self.code(client, "checkpoint") == nil)
            }
        }
    }
}
