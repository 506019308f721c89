import AccordJSON
import AccordTesting
import Client
import EventStore
import Foundation
import LMDB
import Synchronization
import Testing

/// A real `accord serve` child process, killed with SIGKILL mid-load.
@Suite struct CrashTests {
    let dir = TemporaryDirectory("crash")

    @Test(arguments: [250, 700]) func everyAcknowledgedAppendSurvivesSIGKILL(killAfterMilliseconds: Int) async throws {
        let binary = try #require(accordBinary(), "the accord executable is built beside the tests by `swift build --build-tests`")
        let acknowledged = Collector<String>()
        let child = try startServer(binary)
        let port = try await waitForPort()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in 0..<8 {
                group.addTask { await appendUntilRefused(port: port, stream: "$crash-\(connection)", into: acknowledged) }
            }
            // Kill mid-load: once appends are flowing (a busy machine starts slowly), then a while later.
            for _ in 0..<2_000 where acknowledged.all.count < 20 { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(killAfterMilliseconds))
            kill(child.processIdentifier, SIGKILL)
            try await group.waitForAll()
        }
        child.waitUntilExit()
        let ids = acknowledged.all
        #expect(!ids.isEmpty)
        // Restart on the same directory, as an operator would, then check the log.
        let again = try startServer(binary)
        _ = try await waitForPort()
        kill(again.processIdentifier, SIGTERM)
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        var options = Environment.Options()
        options.readOnly = true
        let store = try EventStore(environment: Environment(path: dir.child("data"), options: options))
        let all = try store.readAll(limit: Int(store.head) + 1)
        #expect(all.map(\.position) == Array(0..<store.head))
        var seen: [String: Int] = [:]
        for event in all { seen[event.eventId.uuidString.lowercased(), default: 0] += 1 }
        #expect(ids.allSatisfy { seen[$0] == 1 })
        for stream in Set(all.map(\.stream)) {
            let versions = all.filter { $0.stream == stream }.map(\.version)
            #expect(versions == Array(0..<StreamVersion(versions.count)))
        }
    }

    private func startServer(_ binary: URL) throws -> Process {
        try? FileManager.default.removeItem(atPath: dir.child("ready"))
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--data", dir.child("data"), "--listen", "127.0.0.1:0", "--ready-file", dir.child("ready"), "--log-level", "error"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func waitForPort() async throws -> Int {
        for _ in 0..<1_000 {
            if let text = try? String(contentsOfFile: dir.child("ready"), encoding: .utf8),
               let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").last ?? "") {
                return port
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw SocketError(message: "the server did not start within 10 seconds")
    }
}

/// The `accord` executable built next to the test bundle.
func accordBinary() -> URL? {
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
    candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug"))
    for directory in candidates {
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("accord")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
    }
    return nil
}
