import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import Foundation
import Server
import Testing

/// Clients that never read what they asked for: the server's memory grows by
/// at most the documented bound per connection (ops/README.md, "Limits"),
/// measured on a real `accord serve` process.
@Suite struct MemoryBoundTests {
    /// The per-connection bound ops/README documents, with the defaults:
    /// a partial line (1 MiB), the output budget (4 MiB), and the answers
    /// already being computed when the budget is reached (two on the pools
    /// and one on the loop, each a page of at most 1 MiB).
    static let perConnection = (1 + 4 + 3) << 20

    /// Pipelines `line` `count` times on `connections` connections that never read.
    static func flood(port: Int, connections: Int, hello: String?, line: String, count: Int) async throws -> [LineSocket] {
        var sockets: [LineSocket] = []
        for _ in 0..<connections {
            let socket = try LineSocket(port: port, receiveBuffer: 4_096)
            let text = (hello.map { [$0] } ?? []) + Array(repeating: line, count: count)
            try await socket.send(text.joined(separator: "\n") + "\n")
            sockets.append(socket)
        }
        return sockets
    }

    /// The server's anonymous memory once it stopped changing by more than 1 MiB in a second.
    static func settled(_ server: ServerProcess) async throws -> Int {
        var last = server.residentAnonymousBytes
        for _ in 0..<20 {
            try await Task.sleep(for: .seconds(1))
            let now = server.residentAnonymousBytes
            if abs(now - last) < 1 << 20 { return now }
            last = now
        }
        return last
    }

    @Test func pagesAskedForAndNeverReadHoldAtMostTheBound() async throws {
        let dir = TemporaryDirectory("memory-pages")
        let server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        defer { server.stop() }
        let padding = String(repeating: "x", count: 1_000)
        try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
            for batch in 0..<20 {
                let events = (0..<100).map { n in Requests.event("Noted", ["n": .integer(Int64(batch * 100 + n)), "pad": .string(padding)])
                }
                try await client.request("append", ["agreementId": "$pages", "events": .array(events)])
            }
        }
        let before = try await Self.settled(server)
        let connections = 4
        let sockets = try await Self.flood(
            port: server.port, connections: connections, hello: nil, line: #"{"id":1,"op":"read_all","limit":1000}"#, count: 2_000)
        let after = try await Self.settled(server)
        #expect(after - before <= connections * Self.perConnection, "grew \((after - before) >> 20) MiB for \(connections) connections")
        // The server still answers everyone else.
        try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
            let head = try await client.request("ping")["head"]
            #expect(head == 2_000)
        }
        withExtendedLifetime(sockets) {}
    }

    @Test func publicAnswersBeforeHelloHoldAtMostTheSmallerBound() async throws {
        let dir = TemporaryDirectory("memory-hello")
        let (tokens, _) = try AuthTests.tokens()
        try FileManager.default.createDirectory(atPath: dir.child("data"), withIntermediateDirectories: true)
        try tokens.save(dir.child("data/tokens.json"))
        let server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"), arguments: ["--auth-timeout", "60"])
        defer { server.stop() }
        let before = try await Self.settled(server)
        let connections = 20
        let sockets = try await Self.flood(
            port: server.port, connections: connections, hello: nil, line: #"{"id":1,"op":"gateways"}"#, count: 2_000)
        let after = try await Self.settled(server)
        // 16 KiB of line, 64 KiB of output, and the answers in flight (one catalogue each, about 20 KiB).
        let perConnection = 256 << 10
        #expect(after - before <= connections * perConnection, "grew \((after - before) >> 10) KiB for \(connections) connections")
        withExtendedLifetime(sockets) {}
    }

    /// Connections reset the moment they open leave nothing behind (a timer
    /// started after a failed first write once kept each one for ever).
    @Test func connectionsResetAtOnceLeaveNothingBehind() async throws {
        let dir = TemporaryDirectory("memory-reset")
        let server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        defer { server.stop() }
        let before = try await Self.settled(server)
        for _ in 0..<5_000 { try LineSocket(port: server.port).reset() }
        let after = try await Self.settled(server)
        #expect(after - before < 4 << 20, "grew \((after - before) >> 10) KiB after 5,000 resets")
    }
}
