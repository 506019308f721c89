import AccordCore

/// An append checked and prepared on the caller's thread, ready for the
/// writer: the request's limits checked, the hook's decoding done, and each
/// event's Merkle leaf hashed as far as its own members go.
///
/// A class: the pending append that queues it holds this one reference
/// rather than a copy of the request's members (a retain each).
public final class PreparedAppend: Sendable {
    let request: AppendRequest

    init(request: AppendRequest) {
        self.request = request
    }

    /// The number of events.
    public var eventCount: Int { request.events.count }
}

extension EventStore {
    /// Checks and prepares an append without queueing it (see `submit`).
    ///
    /// - Throws: `EventStoreError.invalidRequest` for a request over the
    ///   limits, or whatever the hook's `prepare` refused.
    public func prepare(
        to stream: StreamName, expected: ExpectedVersion = .any, events: [NewEvent], principal: String? = nil
    ) throws -> PreparedAppend {
        var request = AppendRequest(stream: stream, expected: expected, events: events, principal: principal)
        try limits.validate(request)
        request.prepared = try hook?.prepare(events, for: stream).map(AppendRequest.Prepared.init)
        if hasMerkleTree { request.leafHeads = events.map { $0.leafHead() } }
        return PreparedAppend(request: request)
    }

    /// Queues a prepared append for the next group commit.
    ///
    /// `completion` runs once the append is durable (synced in the
    /// write-ahead segment; readable a moment later, see `whenReadable`) or refused:
    /// on `executor` when given (every completion of one commit for the same
    /// executor in one `execute`), else on the writer thread, where it must
    /// only hand the result on.
    public func submit(
        _ append: PreparedAppend, on executor: (any CompletionExecutor)? = nil,
        _ completion: @escaping @Sendable (Result<AppendResult, any Error>) -> Void
    ) {
        committer.submit(PendingAppend(append, executor: executor, complete: completion))
    }

    /// Submits one caller's batch (an event loop's appends of one turn),
    /// all completing on `executor`, to be committed together. Returns
    /// whether the writer was idle with nothing else queued: the next
    /// commit is this batch's alone, and its completion follows one sync
    /// (a caller with nothing else to do may watch for it: `CompletionHandOff`).
    @discardableResult
    public func submit(
        _ appends: [(PreparedAppend, @Sendable (Result<AppendResult, any Error>) -> Void)], on executor: any CompletionExecutor
    ) -> Bool {
        committer.submit(appends.map { append, completion in PendingAppend(append, executor: executor, complete: completion) })
    }

}
