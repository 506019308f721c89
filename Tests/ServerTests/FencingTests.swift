import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// Promotion starts a new epoch; the old primary is fenced (by the promotion
/// when it can be reached, else by a peer at the newer epoch), and two
/// checkpoints that cannot both be true are reported as a fork.
@Suite struct FencingTests {
    /// A primary with 40 events and a replica that copied them, both stopped;
    /// then the replica promoted, holding the log's signing key.
    static func promoted(_ dir: TemporaryDirectory, fencing primaryPort: Int? = nil) async throws -> (primary: String, replica: String) {
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        try await SinkFixture.append(port: primary.port, seed: 91, steps: 40)
        let replica = try await ReplicaFixture.startReplica(dir, primary: primary.port)
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        #expect(replica.stop() == 0)
        if primaryPort == nil { #expect(primary.stop() == 0) }
        try FileManager.default.copyItem(atPath: dir.child("primary") + "/checkpoint.key", toPath: dir.child("replica") + "/checkpoint.key")
        let promote = try runAccord(["promote", "--data", dir.child("replica")] + (primaryPort == nil ? ["--no-fence"] : []))
        #expect(promote.status == 0, "\(promote.stderr)")
        #expect(promote.stderr.contains("epoch 2"))
        if primaryPort != nil {
            #expect(promote.stderr.contains("Fenced the old primary"), "\(promote.stderr)")
            primary.stop()
        }

        return (dir.child("primary"), dir.child("replica"))
    }

    static func appendCode(_ port: Int) async -> String {
        do {
            _ = try await AccordClient.connect(ClientConfiguration(port: port)) { client in
                try await client.request("append", Requests.append("$fence", Requests.event("Noted", [:])))
            }
            return "ok"
        } catch let ClientError.server(code, _, _) {
            return code.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test func anOldPrimaryRestartedBesideItsPromotedReplicaTakesNoWrites() async throws {
        let dir = TemporaryDirectory("fence-peer")
        let (primaryData, replicaData) = try await Self.promoted(dir)
        let promoted = try await ServerProcess.start(data: replicaData, ready: dir.child("promoted-ready"))
        defer { promoted.stop() }
        #expect(await Self.appendCode(promoted.port) == "ok", "the promoted replica takes writes")
        let health = try await AccordClient.connect(ClientConfiguration(port: promoted.port)) { try await $0.request("health") }
        #expect(health["epoch"] == 2)
        // The old primary comes back, configured with its peer: it fences itself before its first client.
        var old = try await ServerProcess.start(
            data: primaryData, ready: dir.child("old-ready"), arguments: ["--peer", "127.0.0.1:\(promoted.port)"])
        #expect(await Self.appendCode(old.port) == "read_only")
        let oldHealth = try await AccordClient.connect(ClientConfiguration(port: old.port)) { try await $0.request("health") }
        #expect(oldHealth["status"] == "failing" && oldHealth["writable"] == false, "\(oldHealth.canonicalString)")
        #expect(oldHealth["problems"]?.arrayValue?.contains { $0.stringValue?.hasPrefix("fenced") == true } == true)
        // And stays fenced across a restart without the peer.
        #expect(old.stop() == 0)
        old = try await ServerProcess.start(data: primaryData, ready: dir.child("old-ready"))
        defer { old.stop() }
        #expect(await Self.appendCode(old.port) == "read_only")
    }

    @Test func promotionFencesAReachableOldPrimaryAtOnce() async throws {
        let dir = TemporaryDirectory("fence-promote")
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        defer { primary.stop() }
        try await SinkFixture.append(port: primary.port, seed: 92, steps: 20)
        let replica = try await ReplicaFixture.startReplica(dir, primary: primary.port)
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        #expect(replica.stop() == 0)
        let promote = try runAccord(["promote", "--data", dir.child("replica"), "--advertise", "127.0.0.1:7499"])
        #expect(promote.stderr.contains("Fenced the old primary"), "\(promote.stderr)")
        #expect(await Self.appendCode(primary.port) == "read_only")
    }

    /// The partition case: the old primary took a write after the promotion.
    /// An auditor holding its checkpoint and the promoted server's sees a fork.
    @Test func twoCheckpointsThatCannotBothBeTrueAreAFork() async throws {
        let dir = TemporaryDirectory("fence-fork")
        let (primaryData, replicaData) = try await Self.promoted(dir)
        let vkey = try runAccord(["key", "--data", primaryData]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let old = try await ServerProcess.start(data: primaryData, ready: dir.child("old-ready"))
        defer { old.stop() }
        #expect(await Self.appendCode(old.port) == "ok", "unfenced, the old primary takes a write: the fork")
        let saved = dir.child("old-checkpoint.txt")
        #expect(try runAccord(["verify", "--server", "127.0.0.1:\(old.port)", "--key", vkey, "--save", saved]).status == 0)
        let promoted = try await ServerProcess.start(data: replicaData, ready: dir.child("promoted-ready"))
        defer { promoted.stop() }
        #expect(await Self.appendCode(promoted.port) == "ok")
        let verify = try runAccord(["verify", "--server", "127.0.0.1:\(promoted.port)", "--key", vkey, "--checkpoint", saved])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(
            verify.stdout.contains("fork") && verify.stdout.contains("epoch 1") && verify.stdout.contains("epoch 2"), "\(verify.stdout)")
    }
}

extension FencingTests {
    /// Promotion carries the old primary's token file when given, and says
    /// which roles the promoted server admits either way.
    @Test func promotionCarriesTheOldPrimarysTokensAndSaysWhatItAdmits() async throws {
        let dir = TemporaryDirectory("promote-tokens")
        var primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        try await SinkFixture.append(port: primary.port, seed: 93, steps: 10)
        let replica = try await ReplicaFixture.startReplica(dir, primary: primary.port)
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        #expect(replica.stop() == 0 && primary.stop() == 0)
        try FileManager.default.copyItem(atPath: dir.child("primary") + "/checkpoint.key", toPath: dir.child("replica") + "/checkpoint.key")
        let tokens = dir.child("old-primary-tokens.json")
        let writer = try #require(
            try runAccord(["token", "create", "case-system", "--role", "writer", "--tokens", tokens]).stdout.split(separator: "\n").first)
        #expect(try runAccord(["token", "create", "dashboard", "--role", "reader", "--tokens", tokens]).status == 0)

        let promote = try runAccord(["promote", "--data", dir.child("replica"), "--no-fence", "--tokens", tokens])
        #expect(promote.status == 0, "\(promote.stderr)")
        #expect(
            promote.stderr.contains("tokens: copied from \(tokens) to \(dir.child("replica"))/tokens.json: 1 reader, 1 writer."),
            "\(promote.stderr)")
        primary = try await ServerProcess.start(data: dir.child("replica"), ready: dir.child("promoted-ready"))
        defer { primary.stop() }
        let configuration = ClientConfiguration(port: primary.port, token: String(writer))
        let identity = try await AccordClient.connect(configuration) { client in client.identity }
        #expect(identity["role"] == "writer", "the old primary's writer token authenticates on the promoted server")
    }
}
