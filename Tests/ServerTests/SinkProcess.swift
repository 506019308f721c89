import AccordTesting
import Foundation
import Testing

/// A real `accord sink postgres` child process, as an operator runs it:
/// stopped with SIGTERM, or killed with SIGKILL by the test.
struct SinkProcess: ChildProcess {
    let process: Process
    let log: String

    static func start(
        port: Int, postgres: String, arguments: [String] = [], token: String? = nil, in directory: TemporaryDirectory
    ) throws -> SinkProcess {
        let binary = try #require(accordBinary(), "the accord executable is built beside the tests by `swift build --build-tests`")
        let log = directory.child("sink-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments =
            ["sink", "postgres", "--server", "127.0.0.1:\(port)", "--postgres", postgres, "--log-level", "warning"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ACCORD_TOKEN"] = token
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = process.standardOutput
        try process.run()
        return SinkProcess(process: process, log: log)
    }

    /// Waits for the sink to exit by itself (a fatal error), up to `seconds`; `nil` if it did not.
    func exitStatus(within seconds: Double) async throws -> Int32? {
        for _ in 0..<Int(seconds * 50) {
            if !process.isRunning { return process.terminationStatus }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
}
