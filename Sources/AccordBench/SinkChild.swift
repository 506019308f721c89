import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `accord sink postgres` as a child process (built beside `accord-bench`).
final class SinkChild {
    private let process: Process
    private let log: String

    private init(process: Process, log: String) {
        self.process = process
        self.log = log
    }

    static func start(server: String, postgres: String, schema: String, requests: Bool = false) throws -> SinkChild {
        let binary = try SpawnedServer.accordBinary()
        let log = NSTemporaryDirectory() + "/accord-bench-sink-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)  // FileHandle below says why when it could not
        let process = Process()
        process.executableURL = binary
        process.arguments =
            ["sink", "postgres", "--server", server, "--postgres", postgres, "--schema", schema, "--log-level", "warning"]
            + (requests ? ["--include-law-enforcement-requests"] : [])
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = process.standardOutput
        try process.run()
        return SinkChild(process: process, log: log)
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        unlink(log)
    }
}
