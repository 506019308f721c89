import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// An append whose answer is lost (a proxy swallows it) was recorded; the
/// command says so and prints the command that retries it safely, and that
/// command records nothing twice.
@Suite struct AppendRetryTests {
    let dir = TemporaryDirectory("retry")

    /// A proxy that drops the first append answer it sees.
    func proxyLosingOneAnswer(to port: Int) throws -> SwallowingProxy {
        let lost = Collector<Int>()
        return try SwallowingProxy(target: port) { line in
            guard line.contains(#""positions""#), lost.all.isEmpty else { return false }
            lost.append(1)
            return true
        }
    }

    /// Runs the retry command the failure printed, through a shell, as an operator would paste it.
    func runRetry(from stderr: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let line = try #require(stderr.split(separator: "\n").first { $0.hasPrefix("  accord ") }, "no retry command in: \(stderr)")
        let binary = try #require(accordBinary()).path
        return try runAccord(["-c", binary + line.dropFirst("  accord".count)], shell: true)
    }

    func events(in stream: String, port: Int) async throws -> [JSONValue] {
        try await AccordClient.connect(port: port) { client in
            try await client.request("read", ["agreementId": .string(stream)])["events"]?.arrayValue ?? []
        }
    }

    @Test func aTimedOutAppendPrintsASafeRetryThatRecordsNothingTwice() async throws {
        let server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        defer { server.stop() }
        let proxy = try proxyLosingOneAnswer(to: server.port)
        let first = try runAccord([
            "append", "$requests", "--server", "127.0.0.1:\(proxy.port)", "--timeout", "1", "--type", "RequestNoted", "--data",
            #"{"requester": "Metropolitan Police", "subjects": 1}"#,
        ])
        #expect(first.status == 3, "\(first.stderr)")
        #expect(first.stderr.contains("no answer in time"))
        #expect(first.stderr.contains("The append may have been recorded"))
        #expect(!first.stderr.contains("--tls"), "a plain server is not told to use TLS: \(first.stderr)")
        #expect(try await events(in: "$requests", port: server.port).count == 1, "the lost answer's append was recorded")

        let retry = try runRetry(from: first.stderr)
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("(already recorded)"), "\(retry.stdout)")
        let stored = try await events(in: "$requests", port: server.port)
        #expect(stored.count == 1)
        #expect(first.stderr.contains(try #require(stored.first?["eventId"]?.stringValue)), "the retry names the stored id")
    }

    @Test func eventsFromAFileWithoutIdsAreRetriedWithTheIdsTheyWereSentWith() async throws {
        let server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        defer { server.stop() }
        let proxy = try proxyLosingOneAnswer(to: server.port)
        let input = dir.child("events.ndjson")
        try Data((#"{"type":"RequestNoted","data":{"n":1}}"# + "\n" + #"{"type":"RequestNoted","data":{"n":2}}"# + "\n").utf8)
            .write(to: URL(fileURLWithPath: input))
        let first = try runAccord(["append", "$batch", "--server", "127.0.0.1:\(proxy.port)", "--timeout", "1", "--file", input])
        #expect(first.status == 3, "\(first.stderr)")
        let retry = try runRetry(from: first.stderr)
        #expect(retry.status == 0 && retry.stdout.contains("(already recorded)"), "\(retry.stdout) \(retry.stderr)")
        #expect(try await events(in: "$batch", port: server.port).count == 2)
    }

    @Test func theIdsAreMintedPrintedAndCanBeGiven() async throws {
        let server = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        defer { server.stop() }
        let id = "0190c6a8-6d1e-7c3a-9b2f-4e5d6c7b8a90"
        let arguments = ["append", "$given", "--server", "127.0.0.1:\(server.port)", "--type", "Noted", "--data", "{}", "--event-id", id]
        let first = try runAccord(arguments)
        #expect(first.status == 0 && first.stdout.contains("event \(id)") && !first.stdout.contains("already"), "\(first.stdout)")
        #expect(try runAccord(arguments).stdout.contains("(already recorded)"))
        let minted = try runAccord(["append", "$given", "--server", "127.0.0.1:\(server.port)", "--type", "Noted", "--data", "{}"])
        let printed = try #require(
            minted.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(UUID(uuidString: printed) != nil && printed.dropFirst(14).first == "7", "a UUIDv7: \(minted.stdout)")
        let badId = try runAccord(["append", "$given", "--type", "Noted", "--data", "{}", "--event-id", "nope"])
        #expect(badId.status == 2 && badId.stderr.contains("--event-id takes a UUID"))
    }
}
