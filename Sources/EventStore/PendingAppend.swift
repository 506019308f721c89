import CoreMetrics
import Foundation

/// One queued append and what to do with its result.
struct PendingAppend: Sendable {
    let request: AppendRequest
    /// Called once, on the writer thread, when the append is decided.
    let complete: @Sendable (Result<AppendResult, any Error>) -> Void
}
