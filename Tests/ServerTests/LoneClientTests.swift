import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// A lone client's appends, whether its loop watches for each commit (and
/// the writer for the next append), never does, or always misses and backs
/// off: each is acknowledged once, in order, and reads back. The tests watch
/// regardless of the machine's processor pressure (`spinPressureFile` nil):
/// a loaded test machine would otherwise turn the watching off.
@Suite struct LoneClientTests {
    @Test(arguments: [UInt64(0), 300_000, 1])
    func everyAppendIsAnsweredOnceInOrder(spinNanoseconds: UInt64) async throws {
        let dir = TemporaryDirectory("lone-\(spinNanoseconds)")
        try await TestServer.with(dir, configure: { ($0.spinNanoseconds, $0.spinPressureFile) = (spinNanoseconds, nil) }) { server in
            try await AccordClient.connect(port: server.port) { client in
                for n in 0..<60 {
                    let appended = try await client.request(
                        "append", Requests.append("$lone", Requests.event("Noted", ["n": .integer(Int64(n))])))
                    #expect(appended["positions"] == [.integer(Int64(n))])
                }
                let page = try await client.request("read", ["agreementId": "$lone", "limit": 100])
                #expect(page["events"]?.arrayValue?.compactMap { $0["data"]?["n"]?.int64Value.map(Int.init) } == Array(0..<60))
            }
        }
    }

    /// A client that closes its connection while its append commits: the
    /// append stands, the server serves the next client.
    @Test func aClientGoneMidCommitLeavesTheAppendAndTheServer() async throws {
        let dir = TemporaryDirectory("lone-gone")
        try await TestServer.with(dir, configure: { ($0.spinNanoseconds, $0.spinPressureFile) = (300_000, nil) }) { server in
            for n in 0..<20 {
                let socket = try LineSocket(port: server.port)
                _ = await socket.readLine()
                var request = Requests.append("$gone", Requests.event("Noted", ["n": .integer(Int64(n))]))
                (request["id"], request["op"]) = (1, "append")
                try await socket.send(JSONValue.object(JSONObject(request)).canonicalString + "\n")
                socket.reset()
            }
            try await AccordClient.connect(port: server.port) { client in
                let ping = try await client.request("ping")
                #expect(ping["head"]?.int64Value == Int64((try await server.readable()).head))
                let page = try await client.request("read", ["agreementId": "$gone", "limit": 100])
                #expect((page["events"]?.arrayValue?.count ?? 0) <= 20)
            }
        }
    }
}
