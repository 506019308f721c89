import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the tokens and TLS certificates on SIGHUP, as `nginx -s reload`
/// or `kill -HUP` expect: a file that does not load is logged and the
/// server keeps what it had; connections are never dropped for a reload
/// (only those whose token was revoked).
struct ReloadService: Service {
    let logger: Logger
    let reload: @Sendable () throws -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    try reload()
                } catch {
                    logger.error("reload refused; keeping the tokens and certificates in use", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
