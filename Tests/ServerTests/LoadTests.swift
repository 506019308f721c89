import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import Testing

@Suite struct LoadTests {
    let dir = TemporaryDirectory("load")

    /// 500 connections append while 20 subscribers follow; each subscriber
    /// receives every event exactly once, in position order.
    @Test func manyAppendersAndSubscribers() async throws {
        try await TestServer.with(dir) { server in
            let appenders = 500
            let appendsEach = 4
            let total = appenders * appendsEach
            try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await AccordClient.connect(port: server.port) { client in
                            _ = try await client.request("subscribe", ["from": "start"])
                            var positions: [Int64] = []
                            for await push in client.pushes {
                                if let position = push["event"]?["position"]?.int64Value { positions.append(position) }
                                if positions.count == total { break }
                            }
                            return positions
                        }
                    }
                }
                for a in 0..<appenders {
                    group.addTask {
                        try await AccordClient.connect(port: server.port) { client in
                            for i in 0..<appendsEach {
                                let event = Requests.event("Noted", ["appender": .integer(Int64(a)), "i": .integer(Int64(i))])
                                _ = try await client.request("append", ["agreementId": .string("$load-\(a)"), "events": [event]])
                            }
                            return []
                        }
                    }
                }
                var subscribers = 0
                for try await positions in group where !positions.isEmpty {
                    subscribers += 1
                    #expect(positions == Array(0..<Int64(total)))
                }
                #expect(subscribers == 20)
            }
            #expect(try await server.readable().head == Position(total))
        }
    }

    /// A subscriber that stops reading costs bounded memory, does not slow
    /// writers, and later receives everything in order. The server is a child
    /// process, so that its memory is measured apart from the other tests.
    @Test func aSlowSubscriberIsBoundedAndMissesNothing() async throws {
        let server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        defer { server.stop() }
        let socket = try LineSocket(port: server.port, receiveBuffer: 4_096)
        _ = await socket.readLine()
        try await socket.send(#"{"id":1,"op":"subscribe","from":"start"}"# + "\n")
        #expect(await socket.readLine()?.contains(#""sub":"s1""#) == true)
        #expect(await socket.readLine() == #"{"sub":"s1","caught_up":0}"#)
        let anonymousBefore = server.residentAnonymousBytes
        let total = 100_000
        let note = JSONValue.string(String(repeating: "x", count: 400))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<50 {
                group.addTask {
                    try await AccordClient.connect(port: server.port) { client in
                        for _ in 0..<(total / 50 / 100) {
                            let events = (0..<100).map { _ in Requests.event("Noted", ["note": note]) }
                            try await client.request("append", ["agreementId": .string("$slow-\(worker)"), "events": .array(events)])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let growth = server.residentAnonymousBytes - anonymousBefore
        // 100,000 events of ~550 bytes are ~55 MB on the wire; the server holds one chunk.
        #expect(growth < 40 << 20, "anonymous memory grew by \(growth >> 20) MiB")
        socket.setReceiveBuffer(1 << 20)
        var expected: Int64 = 0
        while expected < Int64(total) {
            guard let line = await socket.readLine(timeout: .seconds(60)),
                let event = try? JSONParser.parse(line)["event"]
            else { break }
            if event["position"]?.int64Value != expected {
                Issue.record("expected position \(expected), got \(line.prefix(120))")
                break
            }
            expected += 1
        }
        #expect(expected == Int64(total))
    }
}

@Suite struct ManyConnectionsTests {
    let dir = TemporaryDirectory("many")

    /// Two thousand clients connected at once, each answered.
    @Test func twoThousandConnectionsAtOnce() async throws {
        raiseOpenFileLimit(to: 8_192)
        try await TestServer.with(dir) { server in
            var sockets: [LineSocket] = []
            for _ in 0..<2_000 { sockets.append(try LineSocket(port: server.port)) }
            for socket in sockets { #expect(await socket.readLine()?.hasPrefix(#"{"info":"#) == true) }
            #expect(server.server.connectionCount == 2_000)
            for (i, socket) in sockets.enumerated() { try await socket.send(#"{"id":\#(i),"op":"ping"}"# + "\n") }
            for (i, socket) in sockets.enumerated() {
                #expect(await socket.readLine() == #"{"id":\#(i),"ok":true,"result":{"head":0}}"#)
            }
        }
    }
}

/// Lets a test hold thousands of sockets (the soft limit is often 1,024).
func raiseOpenFileLimit(to wanted: rlim_t) {
    var limit = rlimit()
    getrlimit(openFilesLimit, &limit)
    if limit.rlim_cur < wanted {
        limit.rlim_cur = min(wanted, limit.rlim_max)
        setrlimit(openFilesLimit, &limit)
    }
}

#if canImport(Glibc)
import Glibc
let openFilesLimit = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#endif
