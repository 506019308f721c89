import CoreMetrics
import Foundation

/// One queued append and what to do with its result.
struct PendingAppend: Sendable {
    let request: AppendRequest
    /// Where `complete` runs; `nil` for the writer thread.
    let executor: (any CompletionExecutor)?
    /// Called once, on the writer thread, when the append is decided.
    let complete: @Sendable (Result<AppendResult, any Error>) -> Void
}
