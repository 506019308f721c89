import AccordTesting
import Foundation
import Testing

/// A real `accord serve` child process on a loopback port, as an operator
/// runs it. Stopped with SIGTERM on `stop()`, or killed by the test.
struct ServerProcess: ChildProcess {
    let process: Process
    let port: Int

    /// Starts `accord serve --data DATA` and waits until it listens.
    static func start(
        data: String, ready: String, listen: String = "127.0.0.1:0", arguments: [String] = [], umask: String? = nil,
        log: String? = nil
    ) async throws -> ServerProcess {
        let binary = try #require(accordBinary(), "the accord executable is built beside the tests by `swift build --build-tests`")
        try? FileManager.default.removeItem(atPath: ready)
        let process = Process()
        process.executableURL = binary
        // A liveness bound, as `TestServer` sets it, unless the test sets its own.
        let authTimeout = arguments.contains("--auth-timeout") ? [] : ["--auth-timeout", "120"]
        process.arguments =
            ["serve", "--data", data, "--listen", listen, "--ready-file", ready, "--log-level", "error"] + authTimeout + arguments
        process.standardOutput = FileHandle.nullDevice
        if let log {
            FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        }
        if let umask { underUmask(process, umask) }
        try process.run()
        // A liveness bound, not a speed test: generous, since the whole suite shares two cores.
        for _ in 0..<3_000 {
            if let text = try? String(contentsOfFile: ready, encoding: .utf8), text.hasSuffix("\n"),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").last ?? "")
            {
                return ServerProcess(process: process, port: port)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.terminate()
        throw SocketError(message: "the server did not start within 30 seconds")
    }

    /// The child's anonymous resident memory (heap and stacks, not the LMDB map).
    var residentAnonymousBytes: Int { residentAnonymous(ofProcess: "\(pid)") }
}

/// Anonymous resident memory of `/proc/<process>/status`, in bytes.
func residentAnonymous(ofProcess process: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
        let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kib * 1_024
}
