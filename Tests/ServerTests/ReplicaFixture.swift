import AccordClient
import AccordJSON
import AccordTesting
import Agreements
import Foundation
import Testing

/// A primary and its replica as child processes, and the comparisons of
/// the replica's copy with the primary's log and answers.
enum ReplicaFixture {
    /// Starts a replica of `primary` on `dir/replica` (port `listen`, default a free one).
    static func startReplica(
        _ dir: TemporaryDirectory, primary: Int, listen: String = "127.0.0.1:0", arguments: [String] = []
    ) async throws -> ServerProcess {
        try await ServerProcess.start(
            data: dir.child("replica"), ready: dir.child("replica-ready"), listen: listen,
            arguments: ["--follow", "127.0.0.1:\(primary)"] + arguments)
    }

    /// The replica's `health` `replication` member.
    static func replication(_ port: Int, token: String? = nil) async throws -> JSONValue {
        try await AccordClient.connect(ClientConfiguration(port: port, token: token)) { try await $0.request("health") }["replication"]
            ?? .null
    }

    /// The replica's `replication` once it has stopped, or as it stands after 30 seconds.
    static func stopped(_ port: Int) async throws -> JSONValue {
        var state: JSONValue = .null
        for _ in 0..<600 where state["state"] != "stopped" {
            try await Task.sleep(for: .milliseconds(50))
            state = try await replication(port)
        }
        return state
    }

    /// Waits until the replica has copied the primary's head and verified a
    /// checkpoint of that size, failing after a minute.
    static func caughtUp(primary: Int, replica: Int, primaryToken: String? = nil, replicaToken: String? = nil) async throws {
        var last: JSONValue = .null
        for _ in 0..<1_200 {
            let head = try await AccordClient.connect(ClientConfiguration(port: primary, token: primaryToken)) { try await $0.ping() }
            if let state = try? await replication(replica, token: replicaToken) {
                last = state
                if state["head"]?.int64Value == Int64(head), state["verified"]?["treeSize"]?.int64Value == Int64(head) { return }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SocketError(message: "the replica did not catch up and verify within a minute: \(last.canonicalString)")
    }

    /// The replica's log (every event, byte for byte as served), root and
    /// projections equal the primary's.
    static func expectEqual(primary: Int, replica: Int, primaryToken: String? = nil, replicaToken: String? = nil) async throws {
        // One size for both: reading law-enforcement records appends audit records.
        let head = try await AccordClient.connect(ClientConfiguration(port: primary, token: primaryToken)) { try await $0.ping() }
        let theirs = try await snapshot(port: primary, token: primaryToken, head: head)
        let ours = try await snapshot(port: replica, token: replicaToken, head: head)
        #expect(ours.count == theirs.count)
        for (key, value) in theirs where ours[key] != value {
            Issue.record("the replica's \(key) differs from the primary's")
        }
    }

    /// What must be equal: the root, the log page by page, the register,
    /// the statistics and each recipient's view.
    ///
    /// The root first, and the law-enforcement records last: reading those is
    /// audited, and each audit record lengthens both logs.
    private static func snapshot(port: Int, token: String?, head: UInt64) async throws -> [String: String] {
        try await AccordClient.connect(ClientConfiguration(port: port, token: token)) { client in
            var result: [String: String] = [:]
            if head > 0 {
                result["root"] = try await client.consistencyProof(oldSize: 1, newSize: head).newRoot.base64
            }
            let disclosing = "LawEnforcementAccessRecorded"
            let others = JSONValue.array(
                (AgreementEvent.typeNames.filter { $0 != disclosing } + ["Noted", "AuditedRead"]).map { .string($0) })
            for (name, types) in [("log", others), ("law-enforcement records", [.string(disclosing)])] {
                var from: JSONValue = 0
                var page = 0
                while from != .null {
                    let answer = try await client.request("read_all", ["from": from, "limit": 1_000, "types": types])
                    let events = (answer["events"]?.arrayValue ?? []).filter { $0["position"]?.int64Value ?? 0 < Int64(head) }
                    result["\(name) page \(page)"] = JSONValue.array(events).canonicalString
                    from = answer["next"] ?? .null
                    page += 1
                }
            }
            let asOf = JSONValue.integer(Int64(head))
            let register = try await client.request("register", ["on": "2026-01-01", "asOf": asOf])
            result["register"] = register.canonicalString
            result["statistics"] = try await client.request("law_enforcement_stats", ["asOf": asOf]).canonicalString
            for recipient in Set((register["rows"]?.arrayValue ?? []).compactMap { $0["recipientId"]?.stringValue }) {
                result["recipient \(recipient)"] =
                    try await client.request("recipient", ["recipientId": .string(recipient), "asOf": asOf]).canonicalString
            }
            return result
        }
    }
}
