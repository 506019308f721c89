import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import LMDB
import Logging
import Registry
import Testing

/// Logs written by earlier builds may hold an event the current rules can
/// neither accept nor fold: one such event never takes a projection, a
/// reader or a replica down; its agreement is marked damaged and every
/// other row answers.
@Suite struct PoisonLogTests {
    let dir = TemporaryDirectory("poison")

    /// Writes a log as an earlier build could have: good agreements, a proposal
    /// whose `occurredAt` an earlier build stored in year 10000 (DSA-T), and
    /// an agreement event whose data this build cannot decode (DSA-X, stored
    /// without the hook, as a build with other rules would have).
    static func writeOldLog(at path: String) async throws {
        var options = Environment.Options()
        options.mapSize = 64 << 20
        let env = try Environment(path: path, options: options)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try EventStore(environment: env, hook: nil, logger: logger)
        func event(_ type: String, _ data: JSONValue, occurredAt: Timestamp? = nil) throws -> NewEvent {
            NewEvent(eventId: UUID.timeOrdered(), type: type, data: try CanonicalJSON(data), occurredAt: occurredAt)
        }
        for id in ["DSA-A", "DSA-T", "DSA-X", "DSA-B"] {
            var proposal = try event("AgreementProposed", Requests.proposal)
            if id == "DSA-T" { proposal.occurredAt = Timestamp(microseconds: 253_402_387_139_000_000) }  // 10000-01-01T23:58:59Z
            try await store.append(to: StreamName(id), events: [proposal])
            try await store.append(to: StreamName(id), events: [try event("LegalReviewCompleted", Requests.review)])
            try await store.append(to: StreamName(id), events: [try event("AgreementApproved", Requests.approval)])
            if id == "DSA-X" {
                guard case .object(var members) = Requests.review else { return }
                members["outcome"] = "perhaps"
                let review = JSONValue.object(members)
                try await store.append(to: StreamName(id), events: [try event("LegalReviewCompleted", review)])
            }
            try await store.append(to: StreamName(id), events: [try event("LawEnforcementAccessRecorded", Requests.access())])
        }
        store.close()
    }

    @Test func oneBadEventDamagesOneAgreementAndEveryOtherRowAnswers() async throws {
        try await Self.writeOldLog(at: dir.path)
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                let register = try await client.request("register", ["on": "2025-06-01"])
                let rows = register["rows"]?.arrayValue ?? []
                #expect(rows.compactMap { $0["reference"]?.stringValue } == ["DSA-A", "DSA-B", "DSA-T", "DSA-X"])
                let damaged = rows.first { $0["reference"] == "DSA-X" }
                #expect(damaged?["damaged"]?["position"] == 11, "the row names the event it could not fold")
                #expect(rows.first { $0["reference"] == "DSA-A" }?["damaged"] == nil)
                for op in ["agreement", "recipient"] {
                    let members: [String: JSONValue] =
                        op == "agreement" ? ["agreementId": "DSA-T", "history": true] : ["recipientId": "R-POL-1"]
                    _ = try await client.request(op, members)
                }
                _ = try await client.request("export", ["table": "register"])
                _ = try await client.request("law_enforcement_stats")
                let health = try await client.request("health")
                #expect(health["problems"]?.arrayValue?.contains { $0.stringValue?.contains("DSA-X") == true } == true)
                // The stored events read back as stored, and tail carries on past them.
                let all = try await client.request("read_all", ["limit": 100])
                let stored = all["events"]?.arrayValue?.filter { $0["stream"]?.stringValue?.hasPrefix("$") == false }
                #expect(stored?.count == 17, "every event of the old log reads back")
                #expect(all["events"]?.arrayValue?[4]["occurredAt"] == "10000-01-01T23:58:59.000000Z")
                // Appending to the damaged agreement is refused by name; to others it works.
                do {
                    try await client.request(
                        "append", Requests.append("DSA-X", Requests.event("LawEnforcementAccessRecorded", Requests.access())))
                    Issue.record("an append to a damaged agreement was accepted")
                } catch let error as ClientError {
                    #expect(error.code == "damaged")
                }
                try await client.request(
                    "append", Requests.append("DSA-A", Requests.event("LawEnforcementAccessRecorded", Requests.access())))
            }
            try server.registry.rebuild(server.store)
            try await AccordClient.connect(port: server.port) { client in
                let rows = try await client.request("register")["rows"]?.arrayValue ?? []
                #expect(rows.count == 4)
            }
        }
    }

    /// A replica copies such a log byte for byte, marks the same agreement
    /// damaged, and never stops; `accord replay` prints the stored events.
    @Test func aReplicaCopiesItAndReplayPrintsItAsStored() async throws {
        let dir = TemporaryDirectory("poison-replica")
        try await Self.writeOldLog(at: dir.child("primary"))
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        defer { primary.stop() }
        let replica = try await ReplicaFixture.startReplica(dir, primary: primary.port)
        defer { replica.stop() }
        try await ReplicaFixture.caughtUp(primary: primary.port, replica: replica.port)
        try await ReplicaFixture.expectEqual(primary: primary.port, replica: replica.port)
        let health = try await AccordClient.connect(ClientConfiguration(port: replica.port)) { try await $0.request("health") }
        #expect(health["damagedAgreements"] == 1)
        #expect(health["replication"]?["state"] != "stopped")
        let replay = try runAccord(["replay", "--server", "127.0.0.1:\(replica.port)"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("10000-01-01T23:58:59.000000Z"))
        #expect(replay.stdout.contains(#""outcome":"perhaps""#))
    }
}
