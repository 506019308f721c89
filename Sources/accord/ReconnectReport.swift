import AccordClient
import Foundation

/// The lines a following command (`tail`, `watch`) prints on standard error
/// while it reconnects, so that a client that is retrying never looks hung
/// and a refusal that retrying cannot mend is said once, then ends it.
enum ReconnectReport {
    static func printer(_ command: String) -> @Sendable (ReconnectEvent) -> Void {
        { event in
            let line =
                switch event {
                case .dropped(let reason, let wait):
                    "accord \(command): \(reason.description); reconnecting in \(seconds(wait))"
                case .attemptFailed(let attempt, let error, let wait):
                    "accord \(command): reconnect attempt \(attempt) failed: \((error as? ClientError)?.description ?? "\(error)"); next in \(seconds(wait))"
                case .reconnected(let attempts):
                    "accord \(command): reconnected after \(attempts) attempt\(attempts == 1 ? "" : "s"); resuming"
                case .gaveUp(let reason):
                    "accord \(command): not reconnecting: \(reason.description)"
                }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let (whole, atto) = duration.components
        return String(format: "%.1f s", Double(whole) + Double(atto) / 1e18)
    }
}
