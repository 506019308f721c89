import AccordClient
import AccordJSON
import AccordTesting
import AgreementsTesting
import Foundation
import LMDB
import Server
import Testing

/// `accord serve --follow`: a replica copies its primary byte for byte and
/// verifies it, survives SIGKILLs of either, stops on an altered primary,
/// never slows the primary's writers, and is promoted only by an operator.
@Suite(.serialized) struct ReplicaTests {
    @Test func copiesRandomHistoriesAndRefusesAppends() async throws {
        let dir = TemporaryDirectory("replica-copy")
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        defer { primary.stop() }
        try await SinkFixture.append(port: primary.port, seed: 3, steps: 400)
        _ = try await AccordClient.connect(ClientConfiguration(port: primary.port)) { client in
            try await client.request("append", Requests.approvedWithAccess("DSA-LE"))
        }
        let replica = try await ReplicaFixture.startReplica(dir, primary: primary.port)
        defer { replica.stop() }
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        try await ReplicaFixture.expectEqual(primary: primary.port, replica: replica.port)
        // Live: appends while it follows.
        try await SinkFixture.append(port: primary.port, seed: 4, steps: 300)
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        try await ReplicaFixture.expectEqual(primary: primary.port, replica: replica.port)
        let key = try await AccordClient.connect(ClientConfiguration(port: replica.port)) { client in
            do {
                _ = try await client.request("append", Requests.approvedWithAccess("DSA-NEW"))
                Issue.record("a replica took an append")
            } catch let error as ClientError {
                #expect(error.code == "read_only")
                #expect(error.serverError?["primary"] == .string("127.0.0.1:\(primary.port)"))
            }
            let health = try await client.request("health")
            #expect(health["status"] == "ok" && health["writable"] == false)
            #expect(health["replication"]?["state"] == "following" && health["replication"]?["ready"] == true)
            // The replica serves the primary's own signed checkpoint.
            let checkpoint = try await client.checkpoint()
            let theirs = try await AccordClient.connect(ClientConfiguration(port: primary.port)) { try await $0.checkpoint() }
            #expect(checkpoint.key == theirs.key && checkpoint.origin == theirs.origin)
            return theirs.key
        }
        #expect(replica.stop() == 0)
        let audit = try runAccord(["verify", "--data", dir.child("replica"), "--key", key])
        #expect(audit.status == 0, "the replica's directory verifies offline like the primary's: \(audit.stdout) \(audit.stderr)")
    }

    @Test func survivesSigkillOfReplicaAndPrimary() async throws {
        let dir = TemporaryDirectory("replica-kill")
        var primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        let port = primary.port
        try await SinkFixture.append(port: port, seed: 61, steps: 300)
        var replica = try await ReplicaFixture.startReplica(dir, primary: port)
        // Whichever processes are current when the test ends, a failure too (a child left running
        // keeps the test runner's output open).
        defer {
            replica.stop()
            primary.stop()
        }
        let replicaPort = replica.port
        var rng = SplitMix64(seed: 62)
        for round in 0..<6 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await SinkFixture.append(port: port, seed: 200 + UInt64(round), steps: 250) }
                try await Task.sleep(for: .milliseconds(Int(rng.next() % 300)))
                if round % 2 == 0 {
                    replica.kill9()
                    try await group.waitForAll()
                    replica = try await ReplicaFixture.startReplica(dir, primary: port, listen: "127.0.0.1:\(replicaPort)")
                } else {
                    // Appends in flight when the primary dies fail; the acknowledged ones are what must survive.
                    primary.kill9()
                    _ = try? await group.waitForAll()
                    primary = try await ServerProcess.start(
                        data: dir.child("primary"), ready: dir.child("primary-ready"), listen: "127.0.0.1:\(port)")
                }
            }
        }
        try await ReplicaFixture.caughtUp(primary: port, replica: replicaPort)
        try await ReplicaFixture.expectEqual(primary: port, replica: replicaPort)
    }

    @Test func aLargeBacklogIsCopiedInBulkThenProjected() async throws {
        let dir = TemporaryDirectory("replica-bulk")
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        defer { primary.stop() }
        try await SinkFixture.append(port: primary.port, seed: 5, steps: 300)
        // Enough events that a new replica copies them without projecting, then rebuilds the projections once.
        try await AccordClient.connect(ClientConfiguration(port: primary.port)) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        for n in 0..<1_600 {
                            _ = try await client.request(
                                "append", Requests.append("$load-\(lane)", Requests.event("Noted", ["n": .integer(Int64(n))])))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await SinkFixture.append(port: primary.port, seed: 6, steps: 300)
        var replica = try await ReplicaFixture.startReplica(dir, primary: primary.port)
        let replicaPort = replica.port
        // Killed during the bulk copy, it restarts with its projections behind its log and rebuilds them.
        try await Task.sleep(for: .milliseconds(300))
        replica.kill9()
        replica = try await ReplicaFixture.startReplica(dir, primary: primary.port, listen: "127.0.0.1:\(replicaPort)")
        defer { replica.stop() }
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replicaPort)
        try await ReplicaFixture.expectEqual(primary: primary.port, replica: replicaPort)
        try await SinkFixture.append(port: primary.port, seed: 7, steps: 200)
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replicaPort)
        try await ReplicaFixture.expectEqual(primary: primary.port, replica: replicaPort)
    }

    @Test func stopsOnAnAlteredPrimary() async throws {
        let dir = TemporaryDirectory("replica-altered")
        var primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        let port = primary.port
        try await SinkFixture.append(port: port, seed: 71, steps: 200)
        let replica = try await ReplicaFixture.startReplica(dir, primary: port)
        defer { replica.stop() }
        try await ReplicaFixture.caughtUp(primary: port, replica: replica.port)
        let copied = try await AccordClient.connect(ClientConfiguration(port: replica.port)) { try await $0.ping() }
        let before = try await AccordClient.connect(ClientConfiguration(port: replica.port)) {
            try await $0.request("read_all", ["from": 0, "limit": 1_000])
        }
        // Offline, the primary's history is rewritten by someone holding its signing key: a new log, re-signed.
        #expect(primary.stop() == 0)
        let forged = dir.child("forged")
        try FileManager.default.createDirectory(atPath: forged, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir.child("primary") + "/checkpoint.key", toPath: forged + "/checkpoint.key")
        primary = try await ServerProcess.start(data: forged, ready: dir.child("primary-ready"), listen: "127.0.0.1:\(port)")
        defer { primary.stop() }
        try await SinkFixture.append(port: port, seed: 72, steps: 400)
        let state = try await ReplicaFixture.stopped(replica.port)
        #expect(state["state"] == "stopped", "\(state.canonicalString)")
        #expect(state["problem"]?.stringValue?.contains("does not match") == true, "\(state.canonicalString)")
        let (head, after, health, register) = try await AccordClient.connect(ClientConfiguration(port: replica.port)) { client in
            (
                try await client.ping(), try await client.request("read_all", ["from": 0, "limit": 1_000]),
                try await client.request("health"), try await client.request("register")
            )
        }
        #expect(head == copied, "nothing of the forged log was copied")
        #expect(after == before, "everything copied is kept")
        #expect(health["status"] == "failing")
        #expect(register["rows"] != nil, "reads still work")
    }

    @Test func stopsOnAnEventAlteredInPlace() async throws {
        let dir = TemporaryDirectory("replica-tampered")
        var primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        let port = primary.port
        try await SinkFixture.append(port: port, seed: 75, steps: 200)
        var replica = try await ReplicaFixture.startReplica(dir, primary: port)
        let replicaPort = replica.port
        try await ReplicaFixture.caughtUp(primary: port, replica: replicaPort)
        replica.kill9()
        try await SinkFixture.append(port: port, seed: 76, steps: 200)
        let head = try await AccordClient.connect(ClientConfiguration(port: port)) { try await $0.ping() }
        #expect(primary.stop() == 0)
        // One byte of an event the replica has not copied yet, changed on disk; the primary's tree and checkpoints untouched.
        let env = try Environment(path: dir.child("primary"))
        try env.write { txn in
            let events = try Database<UInt64, [UInt8]>.open("events", in: txn, create: false)!
            var record = try txn.get(events, head - 2)!
            let byte = record.lastIndex(of: UInt8(ascii: "a"))!
            record[byte] = UInt8(ascii: "b")
            try txn.put(events, head - 2, record)
        }
        primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"), listen: "127.0.0.1:\(port)")
        defer { primary.stop() }
        replica = try await ReplicaFixture.startReplica(dir, primary: port, listen: "127.0.0.1:\(replicaPort)")
        defer { replica.stop() }
        let state = try await ReplicaFixture.stopped(replicaPort)
        #expect(state["state"] == "stopped", "\(state.canonicalString)")
        #expect(state["problem"]?.stringValue?.contains("root") == true, "\(state.canonicalString)")
        #expect((state["verified"]?["treeSize"]?.int64Value ?? .max) < Int64(head), "the altered range was never verified")
    }

    @Test func aStoppedReplicaNeverSlowsTheWriters() async throws {
        let dir = TemporaryDirectory("replica-stopped")
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        defer { primary.stop() }
        let replica = try await ReplicaFixture.startReplica(dir, primary: primary.port)
        defer { replica.stop() }
        try await SinkFixture.append(port: primary.port, seed: 81, steps: 100)
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        kill(replica.pid, SIGSTOP)
        // Every append is acknowledged while the replica reads nothing: the primary buffers nothing for it.
        let events = (0..<3_000).map { index in
            Requests.append(
                "$load-\(index % 7)",
                Requests.event("Noted", ["n": .integer(Int64(index)), "pad": .string(String(repeating: "x", count: 400))]))
        }
        let acknowledged = try await AccordClient.connect(ClientConfiguration(port: primary.port)) { client in
            var count = 0
            for event in events {
                _ = try await client.request("append", event)
                count += 1
            }
            return count
        }
        #expect(acknowledged == 3_000)
        kill(replica.pid, SIGCONT)
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        try await ReplicaFixture.expectEqual(primary: primary.port, replica: replica.port)
    }

    @Test func promotionIsAnExplicitStep() async throws {
        let dir = TemporaryDirectory("replica-promote")
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        try await SinkFixture.append(port: primary.port, seed: 91, steps: 200)
        // A warm standby holds the log's signing key, to sign once promoted.
        try FileManager.default.createDirectory(atPath: dir.child("replica"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir.child("primary") + "/checkpoint.key", toPath: dir.child("replica") + "/checkpoint.key")
        var replica = try await ReplicaFixture.startReplica(dir, primary: primary.port)
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        let head = try await AccordClient.connect(ClientConfiguration(port: primary.port)) { try await $0.ping() }
        let oldKey = try await AccordClient.connect(ClientConfiguration(port: primary.port)) { try await $0.checkpoint() }.key
        primary.kill9()
        #expect(replica.stop() == 0)
        // Without the step, the replica's directory is not served as a primary.
        let refused = try runAccord(["serve", "--data", dir.child("replica"), "--listen", "127.0.0.1:0"])
        #expect(refused.status != 0 && refused.stderr.contains("accord promote"), "\(refused.stderr)")
        let promoted = try runAccord(["promote", "--data", dir.child("replica"), "--reason", "primary lost"])
        #expect(promoted.status == 0, "\(promoted.stderr)")
        #expect(promoted.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(head)")
        replica = try await ServerProcess.start(data: dir.child("replica"), ready: dir.child("replica-ready"))
        defer { replica.stop() }
        try await AccordClient.connect(ClientConfiguration(port: replica.port)) { client in
            let appended = try await client.request("append", Requests.approvedWithAccess("DSA-AFTER"))
            #expect(appended["positions"]?.arrayValue?.first == .integer(Int64(head) + 1))
            let record = try await client.request("read", ["agreementId": "$replication"])["events"]?.arrayValue?.first
            #expect(record?["type"] == "replica_promoted" && record?["data"]?["formerPrimary"] == .string("127.0.0.1:\(primary.port)"))
            #expect(record?["data"]?["lastVerifiedCheckpoint"]?.stringValue?.isEmpty == false)
            #expect(try await client.checkpoint().key == oldKey, "the promoted replica continues the log's signed history")
        }
        // The old primary's directory cannot quietly become a replica of the new one: its history would fork.
        let deposed = try runAccord([
            "serve", "--data", dir.child("primary"), "--listen", "127.0.0.1:0", "--follow", "127.0.0.1:\(replica.port)",
        ])
        #expect(deposed.status != 0 && deposed.stderr.contains("holds a primary's log"), "\(deposed.stderr)")
    }

    @Test func auditedReadsAreRecordedOnThePrimary() async throws {
        let dir = TemporaryDirectory("replica-audit")
        var primaryTokens = TokenStore()
        let writer = try primaryTokens.create(name: "case-system", role: .writer)
        let follow = try primaryTokens.create(name: "replica-1", role: .replica)
        let primaryAuditor = try primaryTokens.create(name: "regulator", role: .auditor)
        try FileManager.default.createDirectory(atPath: dir.child("primary"), withIntermediateDirectories: true)
        try primaryTokens.save(dir.child("primary") + "/tokens.json")
        var replicaTokens = TokenStore()
        let auditor = try replicaTokens.create(name: "inspector", role: .auditor)
        try FileManager.default.createDirectory(atPath: dir.child("replica"), withIntermediateDirectories: true)
        try replicaTokens.save(dir.child("replica") + "/tokens.json")
        var primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        let port = primary.port
        _ = try await AccordClient.connect(ClientConfiguration(port: port, token: writer)) { client in
            try await client.request("append", Requests.approvedWithAccess("DSA-LE"))
        }
        let replica = try await ReplicaFixture.startReplica(dir, primary: port, arguments: ["--follow-token", follow])
        defer { replica.stop() }
        try await ReplicaFixture.caughtUp(primary: port, replica: replica.port, primaryToken: writer, replicaToken: auditor)
        try await AccordClient.connect(ClientConfiguration(port: replica.port, token: auditor)) { client in
            let answer = try await client.request("agreement", ["agreementId": "DSA-LE", "history": true])
            #expect(answer["events"]?.arrayValue?.contains { $0["type"] == "LawEnforcementAccessRecorded" } == true)
        }
        let audit = try await AccordClient.connect(ClientConfiguration(port: port, token: primaryAuditor)) { client in
            try await client.request("read", ["agreementId": "$audit"])["events"]?.arrayValue ?? []
        }
        let forwarded = audit.first { $0["data"]?["principal"] == "inspector" }
        #expect(forwarded?["principal"] == "replica-1", "recorded on the primary by the replica, for its reader")
        #expect(forwarded?["data"]?["op"] == "agreement")
        // With the primary gone, the audited read is refused; the rest still answers.
        primary.kill9()
        try await AccordClient.connect(ClientConfiguration(port: replica.port, token: auditor)) { client in
            do {
                _ = try await client.request("agreement", ["agreementId": "DSA-LE", "history": true])
                Issue.record("law-enforcement details left a replica without an audit record")
            } catch let error as ClientError {
                #expect(error.code == "unavailable")
            }
            #expect(try await client.request("register")["rows"]?.arrayValue?.isEmpty == false)
        }
        // The primary back, audited reads work again.
        primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"), listen: "127.0.0.1:\(port)")
        defer { primary.stop() }
        let again = try await AccordClient.connect(ClientConfiguration(port: replica.port, token: auditor)) { client in
            try await client.request("agreement", ["agreementId": "DSA-LE", "history": true])
        }
        #expect(again["events"] != nil)
    }
    @Test func storedRecordsAreForReplicasAndAuditedForAdmins() async throws {
        let dir = TemporaryDirectory("replica-records")
        var tokens = TokenStore()
        let writer = try tokens.create(name: "case-system", role: .writer)
        let follow = try tokens.create(name: "replica-1", role: .replica)
        let auditor = try tokens.create(name: "regulator", role: .auditor)
        let admin = try tokens.create(name: "ops", role: .admin)
        try FileManager.default.createDirectory(atPath: dir.child("primary"), withIntermediateDirectories: true)
        try tokens.save(dir.child("primary") + "/tokens.json")
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        defer { primary.stop() }
        _ = try await AccordClient.connect(ClientConfiguration(port: primary.port, token: writer)) { client in
            try await client.request("append", Requests.approvedWithAccess("DSA-R"))
        }
        for token in [writer, auditor] {
            _ = try await AccordClient.connect(ClientConfiguration(port: primary.port, token: token)) { client in
                await #expect(throws: ClientError.self) { try await client.request("read_records", ["from": 0]) }
            }
        }
        try await AccordClient.connect(ClientConfiguration(port: primary.port, token: follow)) { client in
            let head = try await client.request("ping")["head"]?.int64Value ?? 0
            let page = try await client.request("read_records", ["from": 1, "limit": 2])
            #expect(page["count"] == 2 && page["next"] == 3 && page["head"] == .integer(head) && page["format"] == 1)
            let framed = try #require(Data(base64Encoded: page["records"]?.stringValue ?? ""))
            #expect(framed.count > 8 && framed.prefix(4) != Data([0, 0, 0, 0]))
            let line = try await client.requestLine("read_records", ["from": 0])
            #expect(String(decoding: line, as: UTF8.self).contains(#""count":\#(head),"format":1"#), "the whole log, unparsed")
            do {
                _ = try await client.request("read_records", ["from": .integer(head + 1)])
                Issue.record("read_records past the head answered")
            } catch let error as ClientError {
                #expect(error.code == "bad_request")
            }
            await #expect(throws: ClientError.self, "an error line is parsed as for any request") {
                try await client.requestLine("read_records", ["from": .integer(head + 1)])
            }
        }
        // A replica's pages are a copy, not a person reading; an admin's disclose the
        // law-enforcement records in them, and are audited as read_all's are.
        let audits = { (token: String) in
            try await AccordClient.connect(ClientConfiguration(port: primary.port, token: auditor)) { client in
                try await client.request("read", ["agreementId": "$audit"])["events"]?.arrayValue ?? []
            }.filter { $0["data"]?["principal"] == .string(token) }
        }
        #expect(try await audits("replica-1").isEmpty)
        try await AccordClient.connect(ClientConfiguration(port: primary.port, token: admin)) { client in
            let page = try await client.request("read_records", ["from": 0, "limit": 5_000])
            #expect(page["count"]?.int64Value ?? 0 >= 4)
        }
        let recorded = try await audits("ops")
        #expect(recorded.count == 1 && recorded.first?["data"]?["op"] == "read_records")
    }
}
