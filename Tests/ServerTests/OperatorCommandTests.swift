import AccordClient
import AccordTesting
import Checkpoints
import Foundation
import Testing

/// The CLI's failure cases as an operator meets them: each exits with its
/// documented status (ops/README.md#exit-statuses) and says why in a sentence,
/// never in a Swift or NIO type's words, and a command that reads a data
/// directory never creates one.
@Suite struct OperatorCommandTests {
    let dir = TemporaryDirectory("operator")

    /// Text that only a library's own description would print.
    static let rawText = [
        "errno", "Error Domain", "IOError", "NIOConnectionError", "(descriptor:", "Optional(", "failedToLoadCertificate",
        "noSuchFilesystemObject", "Swift.", "DecodingError", "CocoaError", "BoringSSL", "NIOSSL", "ChannelError", "keyNotFound",
    ]

    func expectFailure(
        _ arguments: [String], status: Int32, saying words: String, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        let result = try runAccord(arguments)
        #expect(result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(words), "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        for raw in Self.rawText {
            #expect(
                !(result.stderr + result.stdout).contains(raw), "\(arguments) printed \(raw): \(result.stderr)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func usageMistakesExitTwoAndNameTheFlag() throws {
        try expectFailure(["health", "--server", "127.0.0.1"], status: 2, saying: "--server takes HOST:PORT")
        try expectFailure(["health", "--timeout", "0"], status: 2, saying: "--timeout")
        try expectFailure(["teleport"], status: 2, saying: "teleport")
        try expectFailure(["verify", "--server", "127.0.0.1:1", "--key", "not-a-key"], status: 2, saying: "--key not-a-key")
        try expectFailure(["verify", "--server", "127.0.0.1:1"], status: 2, saying: "needs --key")
    }

    @Test func commandsThatReadADataDirectoryNeverCreateOne() throws {
        for command in [["key"], ["key", "show"], ["key", "rotate"], ["rebuild"], ["verify"], ["inspect"], ["backup", dir.child("b")]] {
            try expectFailure(command + ["--data", dir.child("typo")], status: 2, saying: "no Accord data directory at")
            #expect(!FileManager.default.fileExists(atPath: dir.child("typo")), "\(command) created the directory")
        }
    }

    @Test func aServerThatCannotBeReachedExitsThreeWithinItsTimeout() throws {
        let free = try SilentListener().port  // released at once: nothing listens there now
        try expectFailure(["health", "--server", "127.0.0.1:\(free)"], status: 3, saying: "connection refused")
        let silent = try SilentListener()
        try expectFailure(
            ["health", "--server", "127.0.0.1:\(silent.port)", "--timeout", "0.5"], status: 3, saying: "sent no info line in time")
        let key = try NoteSignerKey(name: "a.example/accord").verifier.text
        try expectFailure(
            ["verify", "--server", "127.0.0.1:\(silent.port)", "--timeout", "0.5", "--key", key], status: 3,
            saying: "sent no info line in time")
        withExtendedLifetime(silent) {}
    }

    @Test func environmentVariablesNameTheServerAndToken() async throws {
        let server = try await ServerProcess.start(data: dir.child("env"), ready: dir.child("ready"))
        defer { server.stop() }
        let result = try runAccord(["health", "--json"], environment: ["ACCORD_SERVER": "127.0.0.1:\(server.port)"])
        #expect(result.status == 0 && result.stdout.contains(#""status":"ok""#), "\(result.stderr)")
    }

    @Test func aPortInUseStopsServeBeforeAnythingIsCreated() throws {
        let taken = try SilentListener()
        try expectFailure(
            ["serve", "--data", dir.child("new"), "--listen", "127.0.0.1:\(taken.port)"], status: 2,
            saying: "127.0.0.1:\(taken.port) is in use by another process")
        #expect(!FileManager.default.fileExists(atPath: dir.child("new")))
    }

    @Test func tlsFilesAreNamedWhenTheyCannotBeUsed() throws {
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: dir.child("cert.pem")))
        try expectFailure(
            [
                "serve", "--data", dir.child("d"), "--tls-certificate", dir.child("missing.pem"), "--tls-key", dir.child("k.pem"),
                "--check-config",
            ], status: 2, saying: "the TLS certificate \(dir.child("missing.pem")) does not exist")
        try expectFailure(
            [
                "serve", "--data", dir.child("d"), "--tls-certificate", dir.child("cert.pem"), "--tls-key", dir.child("k.pem"),
                "--check-config",
            ], status: 2, saying: "holds no PEM certificate")
        try expectFailure(
            ["health", "--server", "127.0.0.1:1", "--tls-ca", dir.child("missing-ca.pem")], status: 2,
            saying: "the TLS CA certificate \(dir.child("missing-ca.pem")) does not exist")
    }

    @Test func aTokenFileOthersMayWriteIsRefusedLikeTheKey() throws {
        let tokens = dir.child("tokens.json")
        try Data(#"{"tokens":[]}"#.utf8).write(to: URL(fileURLWithPath: tokens))
        chmod(tokens, 0o666)
        try expectFailure(
            ["serve", "--data", dir.child("d"), "--tokens", tokens, "--check-config"], status: 2, saying: "run chmod 600 \(tokens)")
        chmod(tokens, 0o600)
        #expect(try runAccord(["serve", "--data", dir.child("d"), "--tokens", tokens, "--check-config"]).status == 0)
    }

    /// Piped or redirected, `tail` writes each event as it arrives, not when a block fills.
    @Test func tailWritesEachLineAsItComesToAFile() async throws {
        let server = try await ServerProcess.start(data: dir.child("tail"), ready: dir.child("ready"))
        defer { server.stop() }
        try await AccordClient.connect(port: server.port) { client in
            try await client.request("append", Requests.append("$t", Requests.event("Noted", ["n": 1])))
        }
        let output = dir.child("tail.out")
        FileManager.default.createFile(atPath: output, contents: nil)
        let tail = Process()
        tail.executableURL = try #require(accordBinary())
        tail.arguments = ["tail", "--from", "start", "--server", "127.0.0.1:\(server.port)"]
        tail.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try tail.run()
        defer {
            kill(tail.processIdentifier, SIGINT)
            tail.waitUntilExit()
        }
        func lines() -> Int { ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").count }
        for _ in 0..<1_000 where lines() < 1 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(lines() == 1)
        try await AccordClient.connect(port: server.port) { client in
            try await client.request("append", Requests.append("$t", Requests.event("Noted", ["n": 2])))
        }
        for _ in 0..<1_000 where lines() < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(lines() == 2)
    }

    @Test func serverRefusalsExitThreeWithTheServersWords() async throws {
        let data = dir.child("auth")
        let created = try runAccord(["token", "create", "reporting", "--role", "reader", "--data", data])
        #expect(created.status == 0, "\(created.stderr)")
        let server = try await ServerProcess.start(data: data, ready: dir.child("ready"))
        defer { server.stop() }
        let endpoint = "127.0.0.1:\(server.port)"
        try expectFailure(["register", "--server", endpoint], status: 3, saying: "unauthenticated: this server requires a token")
        try expectFailure(["register", "--server", endpoint, "--token", "acc_wrong"], status: 3, saying: "the token is not valid")
        let token = try #require(created.stdout.split(separator: "\n").first.map(String.init))
        try expectFailure(["tail", "--server", endpoint, "--token", token], status: 3, saying: "forbidden")
        try expectFailure(["health", "--server", endpoint, "--tls", "--timeout", "2"], status: 3, saying: "TLS")
    }
}
