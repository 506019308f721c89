import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the tokens and TLS certificates on SIGHUP, as `nginx -s reload`
/// or `kill -HUP` expect: a file that does not load is logged and the
/// server keeps what it had; connections are never dropped for a reload
/// (only those whose token was revoked). Failures are counted
/// (`accord_reload_failures_total`) and the last success stamped, so an
/// alert can see a reload that never took.
struct ReloadService: Service {
    let logger: Logger
    let reload: @Sendable () throws -> Void
    private let failures = Counter(label: "accord_reload_failures_total")
    private let lastSuccess = Gauge(label: "accord_reload_last_success_timestamp_seconds")

    init(logger: Logger, reload: @escaping @Sendable () throws -> Void) {
        self.logger = logger
        self.reload = reload
        // The files loaded at start count as the first success.
        lastSuccess.record(Date().timeIntervalSince1970.rounded())
        failures.increment(by: 0)
    }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    try reload()
                    lastSuccess.record(Date().timeIntervalSince1970.rounded())
                } catch {
                    failures.increment()
                    logger.error("reload refused; keeping the tokens and certificates in use", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
