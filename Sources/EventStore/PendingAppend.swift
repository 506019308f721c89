/// One queued append and what to do with its result.
///
/// A class, not a struct: an append passes through the caller's batch, the
/// commit queue, the writer's batch and the completion groups, and a copy of
/// a reference is one retain where a copy of these members was a dozen
/// (measured: their copies were the largest source of reference counting
/// on the append path).
final class PendingAppend: Sendable {
    let prepared: PreparedAppend
    /// Where `complete` runs; `nil` for the writer thread.
    let executor: (any CompletionExecutor)?
    /// Called once, on the writer thread, when the append is decided.
    let complete: @Sendable (Result<AppendResult, any Error>) -> Void

    init(
        _ prepared: PreparedAppend, executor: (any CompletionExecutor)?,
        complete: @escaping @Sendable (Result<AppendResult, any Error>) -> Void
    ) {
        self.prepared = prepared
        self.executor = executor
        self.complete = complete
    }

    /// An append made here (a copy, a replay): prepared already.
    convenience init(
        request: AppendRequest, executor: (any CompletionExecutor)?, complete: @escaping @Sendable (Result<AppendResult, any Error>) -> Void
    ) {
        self.init(PreparedAppend(request: request), executor: executor, complete: complete)
    }
}
