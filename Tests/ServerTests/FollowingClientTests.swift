import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// `tail` and `watch` say why they reconnect, and stop with exit status 3 on
/// a refusal retrying cannot mend, instead of retrying in silence.
@Suite struct FollowingClientTests {
    let dir = TemporaryDirectory("following")

    /// A running `accord` command with its output in files.
    final class Running: Sendable {
        let process: Process
        let stderr: String

        init(_ arguments: [String], in dir: TemporaryDirectory, name: String) throws {
            process = Process()
            process.executableURL = try #require(accordBinary())
            process.arguments = arguments
            stderr = dir.child(name + ".err")
            FileManager.default.createFile(atPath: stderr, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        var said: String { (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "" }

        /// Waits up to `seconds` for the command to end; its status, or nil while it runs (then it is killed).
        func exit(within seconds: Int) async -> Int32? {
            for _ in 0..<(seconds * 20) where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            guard !process.isRunning else {
                process.terminate()
                return nil
            }
            return process.terminationStatus
        }
    }

    func token(_ name: String, role: String, data: String) throws -> String {
        let result = try runAccord(["token", "create", name, "--role", role, "--data", data])
        return try #require(result.stdout.split(separator: "\n").first.map(String.init), "\(result.stderr)")
    }

    /// Waits until the server lists a connection of `principal`; its number.
    func connection(of principal: String, admin: AccordClient) async throws -> Int64 {
        for _ in 0..<200 {
            let listed = try await admin.request("connections")["connections"]?.arrayValue ?? []
            if let number = listed.first(where: { $0["principal"]?.stringValue == principal })?["connection"]?.int64Value { return number }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SocketError(message: "\(principal) never connected")
    }

    @Test func aRevokedTokenOrAnAdministratorsCloseEndsTailAndWatchWithExitThree() async throws {
        let data = dir.child("data")
        let doomed = try token("doomed", role: "auditor", data: data)
        let closed = try token("closed", role: "reader", data: data)
        let admin = try token("admin", role: "admin", data: data)
        let server = try await ServerProcess.start(data: data, ready: dir.child("ready"))
        defer { server.stop() }
        let endpoint = "127.0.0.1:\(server.port)"
        let tail = try Running(["tail", "--from", "start", "--server", endpoint, "--token", doomed], in: dir, name: "tail")
        let watch = try Running(["watch", "register", "--server", endpoint, "--token", closed], in: dir, name: "watch")
        try await AccordClient.connect(ClientConfiguration(port: server.port, token: admin)) { client in
            _ = try await connection(of: "doomed", admin: client)
            #expect(try runAccord(["token", "revoke", "doomed", "--data", data]).status == 0)
            kill(server.pid, SIGHUP)
            let number = try await connection(of: "closed", admin: client)
            _ = try await client.request("disconnect", ["connection": .integer(number)])
        }
        #expect(await tail.exit(within: 10) == 3, "\(tail.said)")
        #expect(tail.said.contains("unauthenticated"), "\(tail.said)")
        #expect(await watch.exit(within: 10) == 3, "\(watch.said)")
        #expect(watch.said.contains("an administrator (admin) closed this connection"), "\(watch.said)")
    }

    @Test func aDroppedConnectionIsSaidAndResumed() async throws {
        let data = dir.child("restart")
        let ready = dir.child("ready2")
        var server = try await ServerProcess.start(data: data, ready: ready)
        let port = server.port
        let tail = try Running(["tail", "--from", "start", "--server", "127.0.0.1:\(port)"], in: dir, name: "tail2")
        // Following before the server stops (a fixed pause was too short on a loaded machine).
        try await AccordClient.connect(ClientConfiguration(port: port)) { client in
            for _ in 0..<400 {
                let listed = try await client.request("connections")["connections"]?.arrayValue ?? []
                if listed.count >= 2 { return }
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        server.stop()
        try await Task.sleep(for: .milliseconds(700))
        server = try await ServerProcess.start(data: data, ready: ready, listen: "127.0.0.1:\(port)")
        defer { server.stop() }
        for _ in 0..<200 where !tail.said.contains("reconnected") { try await Task.sleep(for: .milliseconds(50)) }
        #expect(tail.said.contains("reconnecting in"), "\(tail.said)")
        #expect(tail.said.contains("reconnect attempt 1 failed: could not connect"), "\(tail.said)")
        #expect(tail.said.contains("reconnected after"), "\(tail.said)")
        #expect(await tail.exit(within: 0) == nil, "tail goes on following")
    }
}

extension FollowingClientTests {
    /// A primary that does not answer in time (a proxy swallows every line)
    /// is logged as slow, not as unreachable; a closed port is unreachable.
    @Test func aReplicaTellsASlowPrimaryFromAnUnreachableOne() async throws {
        let primary = try await ServerProcess.start(data: dir.child("primary"), ready: dir.child("primary-ready"))
        defer { primary.stop() }
        let silent = try SwallowingProxy(target: primary.port) { _ in true }
        let log = dir.child("replica.log")
        let replica = try await ServerProcess.start(
            data: dir.child("replica"), ready: dir.child("replica-ready"),
            arguments: ["--follow", "127.0.0.1:\(silent.port)", "--log-level", "warning"], log: log)
        defer { replica.stop() }
        var said = ""
        for _ in 0..<300 where !said.contains("retrying") {
            try await Task.sleep(for: .milliseconds(50))
            said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }
        #expect(said.contains("the primary (or the link to it) is slow"), "\(said)")
        #expect(!said.contains("unreachable"), "\(said)")
    }
}
