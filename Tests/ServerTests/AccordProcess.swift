import Foundation
import Testing

/// Runs the built `accord` executable to completion, as an operator would;
/// with `umask`, under that umask (set by a shell, since the test process's
/// own is shared by every test); with `shell`, `arguments` are `/bin/sh`'s.
func runAccord(
    _ arguments: [String], environment: [String: String] = [:], umask: String? = nil, shell: Bool = false
) throws -> (
    status: Int32, stdout: String, stderr: String
) {
    let process = Process()
    let binary: URL = try #require(accordBinary(), "the accord executable is built beside the tests by `swift build --build-tests`")
    process.executableURL = shell ? URL(fileURLWithPath: "/bin/sh") : binary
    process.arguments = arguments
    if let umask { underUmask(process, umask) }
    // The child's own environment: `setenv` here would race with every
    // other test starting a process (Foundation copies `environ` as it spawns).
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    // Files, not pipes: a chatty child can never block on a full pipe.
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("accord-run-\(UUID().uuidString)")
    for suffix in [".out", ".err"] {
        guard FileManager.default.createFile(atPath: base.path + suffix, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: base.path + suffix])
        }
    }
    defer {
        try? FileManager.default.removeItem(atPath: base.path + ".out")
        try? FileManager.default.removeItem(atPath: base.path + ".err")
    }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base.path + ".out"))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base.path + ".err"))
    try process.run()
    process.waitUntilExit()
    let out = (try? String(contentsOfFile: base.path + ".out", encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: base.path + ".err", encoding: .utf8)) ?? ""
    return (process.terminationStatus, out, err)
}

/// Makes `process` run its executable through `/bin/sh` under `umask`.
func underUmask(_ process: Process, _ umask: String) {
    let binary = process.executableURL?.path ?? ""
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "umask \(umask); exec \"$0\" \"$@\"", binary] + (process.arguments ?? [])
}
