import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import Checkpoints
import EventStore
import Foundation
import Merkle
import Testing
import Transparency

/// Checkpoints, proofs, receipts and audited reads over the wire, checked the
/// way an independent client would: from the JSON alone.
@Suite struct TransparencyTests {
    let dir = TemporaryDirectory("transparency")

    static func hash(_ value: JSONValue?) -> TreeHash? { value?.stringValue.flatMap(TreeHash.init(base64:)) }
    static func hashes(_ value: JSONValue?) -> [TreeHash] { value?.arrayValue?.compactMap { hash($0) } ?? [] }

    @Test func receiptsProofsAndCheckpointsVerifyFromTheWireAlone() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                var receipts: [JSONValue] = []
                for n in 0..<9 {
                    receipts.append(
                        try await client.request(
                            "append", Requests.append("$t\(n % 2)", Requests.event("Noted", ["n": .integer(Int64(n))]))))
                }
                let events = try await client.request("read_all", ["limit": 100])["events"]?.arrayValue ?? []
                #expect(events.count == 9)
                // A client recomputes each leaf from the event object it was sent.
                let leaves = events.map { RFC6962.leafHash($0.canonicalBytes) }
                for (receipt, leaf) in zip(receipts, leaves) {
                    #expect(Self.hashes(receipt["receipt"]?["leafHashes"]) == [leaf])
                }
                let checkpoint = try await client.request("checkpoint")
                let key = try NoteVerifierKey(text: try #require(checkpoint["key"]?.stringValue))
                let signed = try SignedCheckpoint(text: try #require(checkpoint["checkpoint"]?.stringValue), verifiedBy: key)
                #expect(signed.checkpoint.size == 9)
                var range = CompactRange()
                for leaf in leaves { range.append(leaf) { _, _, _ in } }
                #expect(signed.checkpoint.root == range.root)

                for position in 0..<9 {
                    let proof = try await client.request("prove_inclusion", ["position": .integer(Int64(position)), "treeSize": 9])
                    try ProofVerifier.verifyInclusion(
                        leaf: leaves[position], index: UInt64(position), size: 9, proof: Self.hashes(proof["path"]),
                        root: signed.checkpoint.root)
                }
                let old = try await client.request("prove_inclusion", ["position": 2, "treeSize": 3])
                let oldRoot = try #require(Self.hash(old["root"]))
                let consistency = try await client.request("prove_consistency", ["oldSize": 3])
                #expect(consistency["newSize"] == 9)
                try ProofVerifier.verifyConsistency(
                    oldSize: 3, newSize: 9, oldRoot: oldRoot, newRoot: signed.checkpoint.root, proof: Self.hashes(consistency["path"]))

                func code(_ op: String, _ members: [String: JSONValue]) async -> String? {
                    do {
                        _ = try await client.request(op, members)
                        return nil
                    } catch { return (error as? ClientError)?.code.rawValue }
                }
                #expect(await code("prove_inclusion", ["position": 9, "treeSize": 9]) == "bad_request")
                #expect(await code("prove_inclusion", ["position": 1, "treeSize": 99]) == "bad_request")
                #expect(await code("prove_inclusion", [:]) == "bad_request")
                #expect(await code("prove_consistency", ["oldSize": 5, "newSize": 4]) == "bad_request")
                #expect(await code("append", Requests.append("$audit", Requests.event("AuditedRead", [:]))) == "forbidden")
            }
        }
    }

    @Test func subscribersSeeingLawEnforcementRecordsAreAudited() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                try await client.request("hello", ["client": "analyst"])
                try await client.request(
                    "append",
                    Requests.approvedWithAccess("DSA-1"))
                try await client.request("subscribe", ["from": "start", "types": ["LawEnforcementAccessRecorded"]])
                var pushes = client.pushes.makeAsyncIterator()
                #expect(await pushes.next()?["event"]?["position"] == 3)
                let audits = try await server.readable().readStream(StreamName("$audit"))
                #expect(audits.count == 1)
                #expect(audits.first?.principal == "analyst")
                #expect(try audits.first?.data.value()["op"] == "subscribe")
                #expect(try audits.first?.data.value()["records"] == [["agreementId": "DSA-1", "position": 3]])
            }
        }
    }

    @Test func theStoredCheckpointPassesTheOfflineAudit() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                for n in 0..<20 {
                    try await client.request("append", Requests.append("$a", Requests.event("Noted", ["n": .integer(Int64(n))])))
                }
            }
            let stored = try server.checkpointer.persist()
            #expect(stored.checkpoint.size == 20)
            let report = try OfflineAudit(store: server.store).run(keys: [server.checkpointer.key.verifier])
            #expect(report.passed && report.checkpoint?.size == 20)
            let stranger = try NoteSignerKey(name: server.checkpointer.origin).verifier
            #expect(try OfflineAudit(store: server.store).run(keys: [stranger]).checkpointProblem != nil)
        }
    }

    @Test func healthSaysWhetherAppendsAreTakenAndWhatRoomIsLeft() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                let empty = try await client.request("health")
                #expect(empty["status"] == "ok" && empty["writable"] == true && empty["lastCommitAt"] == .null)
                try await client.request("append", Requests.append("$h", Requests.event("Noted", [:])))
                let health = try await client.request("health")
                #expect(health["head"] == 1)
                #expect((health["lastCommitAgeSeconds"]?.doubleValue ?? -1) >= 0)
                #expect((health["map"]?["usedBytes"]?.int64Value ?? 0) > 0)
                server.store.close()
                let closed = try await client.request("health")
                #expect(closed["status"] == "failing" && closed["writable"] == false)
            }
        }
    }
}
