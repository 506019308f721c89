import CommandSupport
import Foundation

/// `accord serve` started as a child process on a temporary data folder, so
/// one command measures end to end without sharing the load generator's threads.
final class SpawnedServer {
    let endpoint: String
    private let process: Process
    private let directory: ScratchDirectory

    private init(endpoint: String, process: Process, directory: ScratchDirectory) {
        self.endpoint = endpoint
        self.process = process
        self.directory = directory
    }

    /// Starts a server on `data` (default: a new folder in `directory`).
    static func start(
        in directory: ScratchDirectory = ScratchDirectory(in: NSTemporaryDirectory()), data: String? = nil, arguments: [String] = []
    ) throws -> SpawnedServer {
        let ready = directory.path + "/ready"
        // A restart in the same folder must not read the last run's address.
        try? FileManager.default.removeItem(atPath: ready)
        let process = Process()
        process.executableURL = try accordBinary()
        process.arguments =
            [
                "serve", "--data", data ?? directory.path + "/data", "--listen", "127.0.0.1:0", "--ready-file", ready, "--log-level",
                "warning",
            ] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<3_000 {
            if let text = try? String(contentsOfFile: ready, encoding: .utf8), text.hasSuffix("\n") {
                return SpawnedServer(endpoint: text.trimmingCharacters(in: .whitespacesAndNewlines), process: process, directory: directory)
            }
            usleep(10_000)
        }
        process.terminate()
        throw CommandError("the spawned server did not start within 30 seconds")
    }

    /// `accord`, built beside `accord-bench`.
    static func accordBinary() throws -> URL {
        let here = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        let binary = here.deletingLastPathComponent().appendingPathComponent("accord")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CommandError("no accord beside accord-bench at \(binary.path); build both: swift build -c release")
        }
        return binary
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
