import AccordClient
import AccordJSON
import AccordTesting
import Agreements
import AgreementsTesting
import Foundation
import Testing

/// `accord sink postgres` against a real PostgreSQL 15 and a real server: the
/// copy equals the server's answers after random histories, SIGKILLs of the
/// sink and restarts of PostgreSQL; readers copy no request details; a
/// different log is refused.
@Suite(.serialized) struct PostgresSinkTests {
    @Test func copiesARandomHistoryAndFollowsLive() async throws {
        let dir = TemporaryDirectory("sink-copy")
        let pg = try ScratchPostgres()
        try await pg.start()
        try await TestServer.with(dir) { server in
            try await SinkFixture.append(port: server.port, seed: 7, steps: 400)
            let sink = try SinkProcess.start(port: server.port, postgres: pg.url, in: dir)
            defer { sink.stop() }
            try await SinkFixture.caughtUp(pg, port: server.port, sink: sink)
            try await SinkFixture.expectEqual(pg, port: server.port)
            // Live: events arriving while the sink follows.
            try await SinkFixture.append(port: server.port, seed: 8, steps: 200)
            try await SinkFixture.caughtUp(pg, port: server.port, sink: sink)
            try await SinkFixture.expectEqual(pg, port: server.port)
            #expect(try pg.query("SELECT count(*) FROM accord.law_enforcement_requests") == "0")
            for query in try SinkFixture.reportingQueries() {
                #expect(throws: Never.self, "ops/reporting.md: \(query)") { try pg.query(query) }
            }
            let status = try runAccord(["sink", "status", "--server", "127.0.0.1:\(server.port)", "--postgres", pg.url, "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            let report = try JSONParser.parse(Array(status.stdout.utf8))
            #expect(report["status"] == "ok" && report["behind"] == 0)
            #expect(sink.stop() == 0, "SIGTERM stops the sink cleanly")
            // A server with fewer events than the copy reflects is not the one it follows: exit 1, said.
            try await TestServer.with(TemporaryDirectory("sink-other")) { other in
                let behind = try runAccord(["sink", "status", "--server", "127.0.0.1:\(other.port)", "--postgres", pg.url])
                #expect(behind.status == 1, "\(behind.stdout) \(behind.stderr)")
                #expect(behind.stdout.contains("server_behind") && behind.stdout.contains("the server holds 0 events"), "\(behind.stdout)")
            }
        }
    }

    @Test func survivesSigkillDuringCatchUpAndLiveFollowing() async throws {
        let dir = TemporaryDirectory("sink-kill")
        let pg = try ScratchPostgres()
        try await pg.start()
        try await TestServer.with(dir) { server in
            try await SinkFixture.append(port: server.port, seed: 11, steps: 1_500)
            var rng = SplitMix64(seed: 12)
            for round in 0..<6 {
                let sink = try SinkProcess.start(
                    port: server.port, postgres: pg.url, arguments: ["--include-law-enforcement-requests", "--max-batch", "50"], in: dir)
                // Appends while the sink runs: the kill lands in catch-up or live following.
                try await SinkFixture.append(port: server.port, seed: 100 + UInt64(round), steps: 60)
                try await Task.sleep(for: .milliseconds(Int(rng.next() % 400)))
                sink.kill9()
            }
            let sink = try SinkProcess.start(
                port: server.port, postgres: pg.url, arguments: ["--include-law-enforcement-requests"], in: dir)
            defer { sink.stop() }
            try await SinkFixture.caughtUp(pg, port: server.port, sink: sink, requests: true)
            try await SinkFixture.expectEqual(pg, port: server.port, requests: true)
            #expect(try pg.query("SELECT count(*) = count(DISTINCT reference) FROM accord.register") == "t")
        }
    }

    @Test func resumesAfterPostgresRestartsUnderLoad() async throws {
        let dir = TemporaryDirectory("sink-pg-restart")
        let pg = try ScratchPostgres()
        try await pg.start()
        try await TestServer.with(dir) { server in
            try await SinkFixture.append(port: server.port, seed: 21, steps: 200)
            let sink = try SinkProcess.start(port: server.port, postgres: pg.url, in: dir)
            defer { sink.stop() }
            try await SinkFixture.caughtUp(pg, port: server.port, sink: sink)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await SinkFixture.append(port: server.port, seed: 22, steps: 400) }
                try await Task.sleep(for: .milliseconds(200))
                pg.stop()
                try await Task.sleep(for: .milliseconds(700))
                try await pg.start()
                try await group.waitForAll()
            }
            try await SinkFixture.caughtUp(pg, port: server.port, sink: sink)
            try await SinkFixture.expectEqual(pg, port: server.port)
        }
    }

    @Test func resumesAfterTheServerRestarts() async throws {
        let dir = TemporaryDirectory("sink-server-restart")
        let pg = try ScratchPostgres()
        try await pg.start()
        var server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        let port = server.port
        try await SinkFixture.append(port: port, seed: 51, steps: 200)
        let sink = try SinkProcess.start(port: port, postgres: pg.url, in: dir)
        defer { sink.stop() }
        try await SinkFixture.caughtUp(pg, port: port, sink: sink)
        #expect(server.stop() == 0)
        server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"), listen: "127.0.0.1:\(port)")
        defer { server.stop() }
        try await SinkFixture.append(port: port, seed: 52, steps: 200)
        try await SinkFixture.caughtUp(pg, port: port, sink: sink)
        try await SinkFixture.expectEqual(pg, port: port)
        #expect(sink.output.contains("the sink will retry"), "the sink saw the server go and came back")
    }

    @Test func aReaderSinkHoldsNoRequestDetails() async throws {
        let dir = TemporaryDirectory("sink-reader")
        let pg = try ScratchPostgres()
        try await pg.start()
        let (store, secrets) = try AuthTests.tokens()
        try await TestServer.with(dir, configure: { $0.tokens = store }) { server in
            try await SinkFixture.append(port: server.port, seed: 31, steps: 150, token: secrets["writer"])
            _ = try await AccordClient.connect(ClientConfiguration(port: server.port, token: secrets["writer"])) { client in
                try await client.request("append", Requests.approvedWithAccess("DSA-R"))
            }
            let refused = try SinkProcess.start(
                port: server.port, postgres: pg.url, arguments: ["--include-law-enforcement-requests"], token: secrets["reader"], in: dir)
            #expect(try await refused.exitStatus(within: 30) == 2)
            #expect(refused.output.contains("needs an auditor token"), "\(refused.output)")
            #expect(
                try pg.query("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'accord'") == "0",
                "a sink refused for its role creates nothing")
            let sink = try SinkProcess.start(port: server.port, postgres: pg.url, token: secrets["reader"], in: dir)
            defer { sink.stop() }
            try await SinkFixture.caughtUp(pg, port: server.port, sink: sink, token: secrets["admin"])
            try await SinkFixture.expectEqual(pg, port: server.port, token: secrets["admin"])
            #expect(try pg.query("SELECT count(*) FROM accord.law_enforcement_requests") == "0")
            #expect(try pg.query("SELECT sum(requests) > 0 FROM accord.law_enforcement_statistics") == "t")
        }
    }

    @Test func aDifferentLogIsRefused() async throws {
        let pg = try ScratchPostgres()
        try await pg.start()
        let first = TemporaryDirectory("sink-log-a")
        try await TestServer.with(first) { server in
            try await SinkFixture.append(port: server.port, seed: 41, steps: 100)
            let sink = try SinkProcess.start(port: server.port, postgres: pg.url, in: first)
            defer { sink.stop() }
            try await SinkFixture.caughtUp(pg, port: server.port, sink: sink)
        }
        let copied = try pg.query("SELECT position || ' ' || root FROM accord.sink_state")
        let second = TemporaryDirectory("sink-log-b")
        try await TestServer.with(second) { server in
            try await SinkFixture.append(port: server.port, seed: 42, steps: 150)
            let sink = try SinkProcess.start(port: server.port, postgres: pg.url, in: second)
            #expect(try await sink.exitStatus(within: 30) == 1)
            #expect(sink.output.contains("is not the one this schema was copied from"), "\(sink.output)")
        }
        #expect(try pg.query("SELECT position || ' ' || root FROM accord.sink_state") == copied)
    }
}
