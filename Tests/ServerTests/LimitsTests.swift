import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// Each limit answers `overloaded` (or closes what it must) and the server keeps serving everyone else.
@Suite struct LimitsTests {
    let dir = TemporaryDirectory("limits")

    @Test func appendsBeyondTheServerWideLimitAreToldOverloaded() async throws {
        try await TestServer.with(dir, configure: { $0.maxPendingAppends = 2 }) { server in
            let codes = Collector<String>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for connection in 0..<8 {
                    group.addTask {
                        try await AccordClient.connect(port: server.port) { client in
                            try await withThrowingTaskGroup(of: Void.self) { pipelined in
                                for n in 0..<16 {
                                    pipelined.addTask {
                                        do {
                                            try await client.request(
                                                "append",
                                                Requests.append("$l\(connection)", Requests.event("Noted", ["n": .integer(Int64(n))])))
                                            codes.append("ok")
                                        } catch let error as ClientError {
                                            codes.append(error.code.rawValue)
                                        }
                                    }
                                }
                                try await pipelined.waitForAll()
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = codes.all
            #expect(all.count == 128)
            #expect(all.contains("overloaded"))
            #expect(all.allSatisfy { $0 == "ok" || $0 == "overloaded" })
            #expect(try await server.readable().head == UInt64(all.filter { $0 == "ok" }.count))
            try await AccordClient.connect(port: server.port) { client in
                let after = try await client.request("append", Requests.append("$after", Requests.event("Noted", [:])))
                #expect(after["duplicate"] == false)
            }
        }
    }

    @Test func subscriptionsPerConnectionAreBounded() async throws {
        try await TestServer.with(dir, configure: { $0.maxPushersPerConnection = 2 }) { server in
            try await AccordClient.connect(port: server.port) { client in
                try await client.request("subscribe", ["from": "end"])
                try await client.request("watch", ["projection": "register"])
                do {
                    try await client.request("subscribe", ["from": "end"])
                    Issue.record("a third pusher was accepted")
                } catch let error as ClientError {
                    #expect(error.code == "overloaded")
                }
                try await client.request("unsubscribe", ["sub": "s1"])
                try await client.request("subscribe", ["from": "end"])
                #expect(try await client.request("ping")["head"] == 0)
            }
        }
    }

    @Test func idleConnectionsAreClosedButSubscribersAreNot() async throws {
        // One second of idleness: long enough that a loaded machine sends the
        // subscription before the subscriber's own connection counts as idle.
        try await TestServer.with(dir, configure: { $0.idleTimeout = .seconds(1) }) { server in
            let subscriber = try LineSocket(port: server.port)
            try await subscriber.send(#"{"id":1,"op":"subscribe","from":"end"}"# + "\n")
            let idle = try LineSocket(port: server.port)
            _ = await idle.readLine()
            _ = await subscriber.readLine()  // info
            _ = await subscriber.readLine()
            _ = await subscriber.readLine()  // caught_up
            #expect(await idle.readLine(timeout: .seconds(10)) == nil, "the idle connection was closed")
            try await subscriber.send(#"{"id":2,"op":"ping"}"# + "\n")
            #expect(await subscriber.readLine(timeout: .seconds(5))?.contains(#""ok":true"#) == true)
        }
    }
}
