import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import Foundation
import Merkle
import Server
import Testing
import WireProtocol

/// The Swift client library against real servers: typed appends and their
/// receipts, subscriptions and watches as sequences, reconnection that
/// resumes a subscription with no gap and no duplicate, backpressure, and
/// timeouts that never hang.
@Suite struct ClientLibraryTests {
    let dir = TemporaryDirectory("client")

    static func noted(_ n: Int) -> NewEvent {
        NewEvent(eventId: UUID.timeOrdered(), type: "Noted", data: try! CanonicalJSON(["n": .integer(Int64(n))]))
    }

    @Test func appendsReturnReceiptsThatVerify() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
                #expect(client.identity["role"] == "admin")
                let events = (0..<3).map(Self.noted)
                let receipt = try await client.append(to: try StreamName("$notes"), expected: .noStream, events: events)
                #expect(receipt.positions == [0, 1, 2] && receipt.streamVersion == 2 && !receipt.duplicate)
                let root = try await client.verify(receipt, events: events)
                let proof = try await client.inclusionProof(position: 0, treeSize: receipt.treeSize)
                #expect(root == proof.root)
                let retry = try await client.append(to: try StreamName("$notes"), events: events)
                #expect(retry.duplicate && retry.positions == receipt.positions)
                // An event altered after the fact does not verify against its receipt.
                var altered = events
                altered[1].data = try CanonicalJSON(["n": 99])
                await #expect(throws: ClientError.self) { try await client.verify(receipt, events: altered) }
            }
        }
    }

    @Test func pipelinedRequestsFromManyTasks() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
                try await withThrowingTaskGroup(of: AppendReceipt.self) { group in
                    for n in 0..<200 {
                        group.addTask { try await client.append(to: try StreamName("$p-\(n % 7)"), events: [Self.noted(n)]) }
                    }
                    var positions: [Position] = []
                    for try await receipt in group { positions += receipt.positions }
                    #expect(positions.sorted() == Array(0..<200))
                }
            }
        }
    }

    /// The client sends typed commands: a filter naming no valid stream is
    /// refused before anything is sent, in the server's words, and the
    /// connection stays usable.
    @Test func aSubscriptionFilterIsCheckedAsTheServerChecksIt() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
                await #expect(throws: ClientError.self) {
                    _ = try await client.subscribe(from: .start, filter: EventFilter(agreementId: "bad\u{7}name"))
                }
                do {
                    _ = try await client.subscribe(from: .start, filter: EventFilter(agreementId: ""))
                    Issue.record("an empty agreement id must be refused")
                } catch let error as ClientError {
                    #expect(error.code == .badRequest && "\(error)".hasPrefix("agreementId: "), "\(error)")
                }
                #expect(try await client.ping() == 0)
                let typed = try await client.send(.register(RegisterQuery()))
                #expect(typed["rows"]?.arrayValue?.isEmpty == true, "\(typed)")
            }
        }
    }

    @Test func aSubscriptionCatchesUpThenFollows() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
                for n in 0..<5 { _ = try await client.append(to: try StreamName("$s"), events: [Self.noted(n)]) }
                let subscription = try await client.subscribe(from: .start, filter: EventFilter(types: ["Noted"]))
                var seen: [Position] = []
                var caughtUp: Position?
                for try await message in subscription {
                    switch message {
                    case .event(let event): seen.append(event.position)
                    case .caughtUp(let head):
                        caughtUp = head
                        for n in 5..<8 { _ = try await client.append(to: try StreamName("$s"), events: [Self.noted(n)]) }
                    }
                    if seen.count == 8 { break }
                }
                #expect(seen == Array(0..<8))
                #expect(caughtUp == 5)
                await subscription.cancel()
            }
        }
    }

    @Test func aSubscriptionResumesAcrossServerRestartsWithNoGapOrDuplicate() async throws {
        let port = try Self.freePort()
        let (data, ready, listen) = (dir.child("data"), dir.child("ready"), "127.0.0.1:\(port)")
        let server = Restartable(try await ServerProcess.start(data: data, ready: ready, listen: listen))
        var configuration = ClientConfiguration(port: port)
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))
        let seen = try await AccordClient.connect(configuration) { client in
            let subscription = try await client.subscribe(from: .start)
            try await Self.append(10, port: port)
            var seen: [Position] = []
            for try await message in subscription {
                guard case .event(let event) = message else { continue }
                seen.append(event.position)
                guard seen.count % 10 == 0, seen.count < 30 else {
                    if seen.count == 30 { break }
                    continue
                }
                // The server dies mid-stream; the client reconnects and resumes.
                try await server.killAndRestart { try await ServerProcess.start(data: data, ready: ready, listen: listen) }
                try await Self.append(10, port: port)
            }
            return seen
        }
        #expect(seen == Array(0..<30))
        server.stop()
    }

    /// Helper for the restart test: the first batch is appended as soon as the subscription starts.
    static func append(_ count: Int, port: Int) async throws {
        try await AccordClient.connect(ClientConfiguration(port: port)) { client in
            for n in 0..<count { _ = try await client.append(to: try StreamName("$r"), events: [noted(n)]) }
        }
    }

    @Test func aWatchDeliversTheSnapshotThenChanges() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
                let watch = try await client.watch(.register, on: CalendarDate("2025-06-01"))
                var iterator = watch.makeAsyncIterator()
                guard case .snapshot(let position, let rows)? = try await iterator.next() else {
                    Issue.record("a snapshot first")
                    return
                }
                #expect(position == 0 && rows.isEmpty)
                _ = try await client.request("append", Requests.append("DSA-W", Requests.event("AgreementProposed", Requests.proposal)))
                guard case .row(_, let row, _)? = try await iterator.next() else {
                    Issue.record("then a row")
                    return
                }
                #expect(row["reference"] == "DSA-W")
                await watch.cancel()
            }
        }
    }

    @Test func aSlowConsumerPausesTheSocketAndMissesNothing() async throws {
        try await TestServer.with(dir) { server in
            var configuration = ClientConfiguration(port: server.port)
            configuration.pushBufferLines = 8
            try await AccordClient.connect(configuration) { client in
                let subscription = try await client.subscribe(from: .start)
                try await AccordClient.connect(ClientConfiguration(port: server.port)) { writer in
                    for n in 0..<300 { _ = try await writer.append(to: try StreamName("$slow"), events: [Self.noted(n)]) }
                }
                var count = 0
                for try await message in subscription {
                    guard case .event(let event) = message else { continue }
                    #expect(event.position == Position(count))
                    count += 1
                    if count == 300 { break }
                }
                #expect(count == 300)
            }
        }
    }

    /// A listener that accepts and never speaks: the client gives up with an
    /// error instead of waiting for ever (the time limit catches a hang; the
    /// test asserts no duration, which this machine cannot promise).
    @Test(.timeLimit(.minutes(1))) func aServerThatNeverAnswersTimesOut() async throws {
        let listener = try SilentListener()
        await #expect(throws: ClientError.self) {
            try await AccordClient.connect(ClientConfiguration(port: listener.port, connectTimeout: .milliseconds(300))) { _ in }
        }
    }

    @Test func aTokenInTheConfigurationAuthenticates() async throws {
        var tokens = TokenStore()
        let secret = try tokens.create(name: "case-system", role: .writer)
        try await TestServer.with(dir, configure: { [tokens] in $0.tokens = tokens }) { server in
            try await AccordClient.connect(ClientConfiguration(port: server.port, token: secret)) { client in
                #expect(client.identity["principal"] == "case-system")
                _ = try await client.append(
                    to: try StreamName("DSA-T"),
                    events: [
                        NewEvent(eventId: UUID.timeOrdered(), type: "AgreementProposed", data: try CanonicalJSON(Requests.proposal))
                    ])
            }
            await #expect(throws: ClientError.self) {
                try await AccordClient.connect(ClientConfiguration(port: server.port)) { _ in }
            }
        }
    }

    /// A server process a test kills and starts again.
    final class Restartable: @unchecked Sendable {
        private var process: ServerProcess

        init(_ process: ServerProcess) { self.process = process }

        func killAndRestart(_ start: () async throws -> ServerProcess) async throws {
            kill(process.pid, SIGKILL)
            process.process.waitUntilExit()
            process = try await start()
        }

        func stop() { process.stop() }
    }

    static func freePort() throws -> Int {
        let listener = try SilentListener()
        return listener.port
    }
}
