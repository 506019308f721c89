import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import LMDB
import Synchronization
import Testing

/// A real `accord serve` child process, killed with SIGKILL mid-load.
@Suite struct CrashTests {
    let dir = TemporaryDirectory("crash")

    @Test(arguments: [250, 700]) func everyAcknowledgedAppendSurvivesSIGKILL(killAfterMilliseconds: Int) async throws {
        let acknowledged = Collector<String>()
        let child = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        let port = child.port
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in 0..<8 {
                group.addTask { await appendUntilRefused(port: port, stream: "$crash-\(connection)", into: acknowledged) }
            }
            // Kill mid-load: once appends are flowing (a busy machine starts slowly), then a while later.
            for _ in 0..<2_000 where acknowledged.all.count < 20 { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(killAfterMilliseconds))
            kill(child.pid, SIGKILL)
            try await group.waitForAll()
        }
        child.process.waitUntilExit()
        let ids = acknowledged.all
        #expect(!ids.isEmpty)
        // Restart on the same directory, as an operator would, then check the log.
        let again = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        #expect(again.stop() == 0)
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
