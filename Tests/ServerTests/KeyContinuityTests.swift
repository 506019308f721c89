import AccordClient
import AccordJSON
import AccordTesting
import Checkpoints
import EventStore
import Foundation
import LMDB
import Testing
import Transparency

/// The checkpoint-signing key across a restore and a rotation, as an operator
/// and an auditor live them: a lost key is never silently replaced, a
/// rotation is on the record, and `verify` follows the chain of keys.
@Suite struct KeyContinuityTests {
    let dir = TemporaryDirectory("keys")

    /// A data directory with a few events and a stored checkpoint, from a real server.
    func serveSomeEvents(_ data: String, count: Int = 3) async throws {
        let server = try await ServerProcess.start(data: data, ready: dir.child("ready"))
        try await AccordClient.connect(port: server.port) { client in
            for n in 0..<count {
                try await client.request("append", Requests.append("$notes", Requests.event("Noted", ["n": .integer(Int64(n))])))
            }
        }
        #expect(server.stop() == 0)
    }

    func accord(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try runAccord(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    @Test func aRestoreWithoutTheKeyRefusesToStartUntilTheKeyIsBackOrRotated() async throws {
        let (data, backup, restored) = (dir.child("data"), dir.child("backup"), dir.child("restored"))
        try await serveSomeEvents(data)
        let published = try accord(["key", "--data", data]).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try accord(["backup", backup, "--data", data])
        let restore = try accord(["restore", backup, "--data", restored])
        #expect(restore.contains("no signing key"))

        let refused = try runAccord(["serve", "--data", restored, "--listen", "127.0.0.1:0"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("no signing key") && refused.stderr.contains("accord key rotate --data \(restored)"))
        #expect(!FileManager.default.fileExists(atPath: restored + "/checkpoint.key"))
        #expect(try runAccord(["key", "--data", restored]).status == 2)
        #expect(try runAccord(["serve", "--data", restored, "--check-config"]).status == 2)

        // Rotating without the old secret: the log records it, unendorsed.
        let next = try accord(["key", "rotate", "--data", restored, "--previous-key", backup + "/checkpoint.vkey", "--reason", "restore"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(next != published && next.hasPrefix(published.split(separator: "+")[0] + "+"))
        let oldOnly = try runAccord(["verify", "--data", restored, "--key", published])
        #expect(oldOnly.status == 1 && oldOnly.stdout.contains("without the previous key's endorsement"))
        let both = try runAccord(["verify", "--data", restored, "--key", published, "--key", next])
        #expect(both.status == 0, "\(both.stdout)")
        // And it serves again, signing with the new key.
        let server = try await ServerProcess.start(data: restored, ready: dir.child("ready"))
        server.stop()
    }

    @Test func anEndorsedRotationIsFollowedFromTheOldKeyOfflineAndOnline() async throws {
        let data = dir.child("data")
        try await serveSomeEvents(data)
        let old = try accord(["key", "--data", data]).trimmingCharacters(in: .whitespacesAndNewlines)
        let next = try accord(["key", "rotate", "--data", data]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try accord(["key", "--data", data]).trimmingCharacters(in: .whitespacesAndNewlines) == next)
        let offline = try runAccord(["verify", "--data", data, "--key", old])
        #expect(offline.status == 0 && offline.stdout.contains("endorsed by the previous key"), "\(offline.stdout)")

        let created = try runAccord(["token", "create", "case", "--role", "writer", "--data", data])
        let server = try await ServerProcess.start(data: data, ready: dir.child("ready"))
        defer { server.stop() }
        let endpoint = "127.0.0.1:\(server.port)"
        // The checkpoint and proofs are public: no token needed to follow the chain.
        let online = try runAccord(["verify", "--server", endpoint, "--key", old, "--json"])
        #expect(online.status == 0, "\(online.stdout) \(online.stderr)")
        let report = try JSONParser.parse(Array(online.stdout.utf8))
        #expect(report["passed"] == true)
        let checks = report["checks"]?.arrayValue ?? []
        #expect(checks.contains { $0["check"] == "key rotation at 3" && $0["passed"] == true })
        // Reading an event needs a role; without one it is "no answer" (3), never tampering (1).
        let unauthorised = try runAccord(["verify", "--server", endpoint, "--key", old, "--event", "1"])
        #expect(unauthorised.status == 3 && !unauthorised.stdout.contains("FAILED"))
        let token = try #require(created.stdout.split(separator: "\n").first.map(String.init))
        #expect(try runAccord(["verify", "--server", endpoint, "--key", old, "--event", "1", "--token", token]).status == 0)
        // Nobody writes $keys over the wire.
        try await AccordClient.connect(ClientConfiguration(port: server.port, token: token)) { client in
            let refused = await #expect(throws: ClientError.self) {
                try await client.request("append", Requests.append("$keys", Requests.event("signing_key_rotated", ["x": 1])))
            }
            #expect(refused?.code == .forbidden)
        }
    }
}

extension KeyContinuityTests {
    /// A rotation record that does not start from the log's key (forged with
    /// file access) is followed by no one: verify fails, saying so.
    @Test func aRotationThatDoesNotContinueTheChainFailsVerification() async throws {
        let data = dir.child("data")
        try await serveSomeEvents(data)
        let env = try Environment(path: data)
        let store = try EventStore(environment: env)
        let stranger = try NoteSignerKey(name: "elsewhere/accord")
        let forged = try KeyRotation(
            previous: stranger.verifier, next: try NoteSignerKey(name: "elsewhere/accord").verifier, endorsedBy: stranger)
        try await store.append(to: KeyChain.stream, events: [KeyChain.event(for: forged, reason: nil)])
        store.close()
        let key = try SigningKeyFile.load(at: data + "/checkpoint.key").verifier.text
        let result = try runAccord(["verify", "--data", data, "--key", key])
        #expect(result.status == 1 && result.stdout.contains("which is not a key you gave"), "\(result.stdout)")
    }
}
