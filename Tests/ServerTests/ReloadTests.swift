import AccordTesting
import Foundation
import Testing

/// SIGHUP reloads the tokens without a restart: a revoked token's connection
/// gets a last `unauthenticated` line and closes; the others carry on; a new
/// token works at once.
@Suite struct ReloadTests {
    let dir = TemporaryDirectory("reload")

    func token(_ name: String, role: String, data: String) throws -> String {
        let result = try runAccord(["token", "create", name, "--role", role, "--data", data])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(result.stdout.split(separator: "\n").first.map(String.init))
    }

    func hello(_ port: Int, _ token: String) async throws -> LineSocket {
        let socket = try LineSocket(port: port)
        _ = await socket.readLine()
        try await socket.send(#"{"id":1,"op":"hello","token":"\#(token)"}"# + "\n")
        let answer = await socket.readLine() ?? ""
        #expect(answer.contains(#""ok":true"#), "\(answer)")
        return socket
    }

    @Test func sighupRevokesAndAddsTokensWithoutDroppingOthers() async throws {
        let data = dir.child("data")
        let doomed = try token("doomed", role: "reader", data: data)
        let kept = try token("kept", role: "writer", data: data)
        let server = try await ServerProcess.start(data: data, ready: dir.child("ready"))
        defer { server.stop() }
        let revoked = try await hello(server.port, doomed)
        let survivor = try await hello(server.port, kept)
        #expect(try runAccord(["token", "revoke", "doomed", "--data", data]).status == 0)
        let added = try token("added", role: "reader", data: data)
        kill(server.pid, SIGHUP)

        let last = await revoked.readLine(timeout: .seconds(10)) ?? ""
        #expect(last.contains(#""code":"unauthenticated""#), "\(last)")
        #expect(await revoked.readLine(timeout: .seconds(10)) == nil)
        try await survivor.send(#"{"id":2,"op":"ping"}"# + "\n")
        #expect((await survivor.readLine() ?? "").contains(#""id":2,"ok":true"#))
        _ = try await hello(server.port, added)
        // The revoked token no longer authenticates a new connection either.
        let again = try LineSocket(port: server.port)
        _ = await again.readLine()
        try await again.send(#"{"id":1,"op":"hello","token":"\#(doomed)"}"# + "\n")
        #expect((await again.readLine() ?? "").contains("unauthenticated"))
    }

    @Test func aTokenFileThatNoLongerLoadsKeepsTheTokensInUse() async throws {
        let data = dir.child("data")
        let kept = try token("kept", role: "writer", data: data)
        let server = try await ServerProcess.start(data: data, ready: dir.child("ready"))
        defer { server.stop() }
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: data + "/tokens.json"))
        kill(server.pid, SIGHUP)
        try await Task.sleep(for: .milliseconds(300))
        _ = try await hello(server.port, kept)
    }
}
