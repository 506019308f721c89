import AccordCore
import LMDB

/// Code that runs inside the log's write transaction for each append request:
/// domain validation and projection updates.
///
/// By default `didAppend` runs in the request's own nested transaction, after
/// its events are written there. Throwing rejects the request: its events and
/// every write the hook made are discarded, its neighbours in the group commit
/// are not affected, and the error reaches the caller unchanged. A hook that
/// `decidesBeforeWriting` runs before the events are written and without the
/// nested transaction, which LMDB makes costly (it allocates about 3 MiB for
/// each). Because this runs under the single writer, two concurrent requests
/// can never both pass a check that only one of them should.
///
/// Rules: no I/O outside `txn`, no `await`, no wall clock (use the events' times).
/// The closure may run more than once for the same request when the map grows.
public protocol AppendHook: Sendable {
    /// Work that needs no transaction (decoding, stateless checks), run by the
    /// caller before the request is queued, so the single writer does less.
    /// Throwing rejects the request before it reaches the writer. The result
    /// is handed to `didAppend` as `prepared`.
    func prepare(_ events: [NewEvent], for stream: StreamName) throws -> (any Sendable)?

    /// Validates and projects a request's events; returns the stream's new
    /// summary (at most 255 bytes, stored beside the stream's version so it
    /// costs no extra page), or `nil` to leave the summary as it was.
    func didAppend(_ events: [RecordedEvent], prepared: (any Sendable)?, in txn: borrowing Transaction, log: LogReader) throws -> [UInt8]?

    /// Projects events copied from another store that accepted them (a
    /// replica's copy of its primary): they are history, so the hook folds
    /// them as a replay would and never refuses one it cannot read (the
    /// copy would stop for ever); throwing is for storage failures only.
    /// By default the same as `didAppend` without `prepared`.
    func didCopy(_ events: [RecordedEvent], in txn: borrowing Transaction, log: LogReader) throws -> [UInt8]?

    /// Called once per group commit, in the outer transaction, after every
    /// request of the batch was processed and before the commit, when at least
    /// one request was written: the place for writes that can be batched
    /// (totals, the projection's position). `head` is the log's length after
    /// the batch. Throwing fails the whole batch.
    func willCommit(head: Position, in txn: borrowing Transaction, log: LogReader) throws

    /// `true` when `didAppend` throws only before its first write (all its
    /// checks come first): it then runs before the request's events are
    /// written, outside a nested transaction, and a failure after it has
    /// begun writing fails the whole batch. `false` by default.
    var decidesBeforeWriting: Bool { get }

    /// The write transaction the hook last worked in was rolled back (a retry
    /// after map growth, or a storage failure): forget any cached state that
    /// came from it. Requests that the hook itself rejected are not reported.
    func rollback()
}

extension AppendHook {
    public var decidesBeforeWriting: Bool { false }

    public func willCommit(head: Position, in txn: borrowing Transaction, log: LogReader) throws {}

    public func prepare(_ events: [NewEvent], for stream: StreamName) throws -> (any Sendable)? { nil }

    public func didCopy(_ events: [RecordedEvent], in txn: borrowing Transaction, log: LogReader) throws -> [UInt8]? {
        try didAppend(events, prepared: nil, in: txn, log: log)
    }
    public func rollback() {}
}
