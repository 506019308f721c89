import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import LMDB
import Synchronization
import Testing

@Suite struct ShutdownTests {
    let dir = TemporaryDirectory("shutdown")

    /// SIGTERM-style shutdown while 40 connections append: every append that
    /// was acknowledged is in the log after reopening, and the log is dense.
    @Test func gracefulShutdownKeepsEveryAcknowledgedAppend() async throws {
        let acknowledged = Collector<String>()
        try await TestServer.with(dir) { server in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for connection in 0..<40 {
                    group.addTask { await appendUntilRefused(port: server.port, stream: "$c\(connection)", into: acknowledged) }
                }
                // Shut down mid-load, once appends are flowing (the machine may be busy).
                for _ in 0..<2_000 where acknowledged.all.count < 200 { try await Task.sleep(for: .milliseconds(10)) }
                await server.shutdown()
                try await group.waitForAll()
            }
        }
        let ids = acknowledged.all
        #expect(ids.count > 100)
        let store = try EventStore(environment: Environment(path: dir.path))
        let all = try store.readAll(limit: Int(store.head) + 1)
        #expect(all.map(\.position) == Array(0..<store.head))
        let stored = Set(all.map { $0.eventId.uuidString.lowercased() })
        #expect(ids.allSatisfy(stored.contains))
    }
}

/// Appends to `stream` one event at a time until the server refuses or goes
/// away, collecting the id of every acknowledged append.
func appendUntilRefused(port: Int, stream: String, into acknowledged: Collector<String>) async {
    try? await AccordClient.connect(port: port) { client in
        for i in 0..<1_000_000 {
            let id = UUID.timeOrdered().uuidString.lowercased()
            let event = Requests.event("Noted", ["i": .integer(Int64(i))], id: id)
            do {
                _ = try await client.request("append", ["agreementId": .string(stream), "events": [event]])
                acknowledged.append(id)
            } catch {
                return
            }
        }
    }
}

@Suite struct StalledClientShutdownTests {
    let dir = TemporaryDirectory("stalled")

    /// A subscriber that never reads cannot hold a shutdown hostage: its
    /// connection is closed (at the latest after the grace period) and the
    /// server stops.
    @Test func aClientThatNeverReadsDoesNotBlockShutdown() async throws {
        let stopping = try await TestServer.with(dir, mapSize: 256 << 20, configure: { $0.shutdownGrace = .milliseconds(500) }) { server in
            let socket = try LineSocket(port: server.port, receiveBuffer: 4_096)
            try await socket.send(#"{"id":1,"op":"subscribe","from":"start"}"# + "\n")
            let payload = try CanonicalJSON(["note": .string(String(repeating: "x", count: 1_000))])
            // 40 MB: far more than the kernel buffers, so the subscription blocks writing.
            for _ in 0..<400 {
                let events = (0..<100).map { _ in NewEvent(eventId: .timeOrdered(), type: "Noted", data: payload) }
                try await server.store.append(to: StreamName("$stall"), events: events)
            }
            let stopping = ContinuousClock.now
            await server.shutdown()
            withExtendedLifetime(socket) {}
            return stopping
        }
        // Shutdown stopped reading from the stalled client, ended its
        // subscription and closed it; the grace period is the backstop.
        #expect(ContinuousClock.now - stopping < .seconds(20))
    }
}
