import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process a test started (`accord serve`, `accord sink`), stopped
/// as an operator would or killed as a crash would.
protocol ChildProcess {
    var process: Process { get }
}

extension ChildProcess {
    var pid: Int32 { process.processIdentifier }

    /// SIGKILL, as a crash or an operator's `kill -9`, then waits.
    func kill9() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
