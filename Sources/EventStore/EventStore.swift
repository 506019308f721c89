import AccordCore
import AccordJSON
import CoreMetrics
import Foundation
import LMDB
import Logging

/// Accord's append-only event log on LMDB.
///
/// Invariants:
/// - Positions are dense and gap-free from 0, in commit order; each stream's
///   versions are dense from 0.
/// - A request's events are written atomically; a failed request writes nothing.
/// - An append is acknowledged only once its commit is durable: its records
///   synced in the write-ahead segment (`WriteAheadSegment`); many concurrent
///   appends share one commit (group commit), and consecutive commits share
///   one LMDB transaction (a window, applied within a few milliseconds), so
///   reads see an acknowledged append once its window is applied
///   (`durableHead`, `whenReadable`; `append` and `copy` return only then).
///   A reopened store replays what LMDB lacks from the segment, and after a
///   power loss `recoverAfterRestart` first puts LMDB back to its last sync
///   point.
/// - Event ids are remembered forever: a retried request returns its original
///   result, and an id reused for different content is refused.
/// - Reads are synchronous snapshots and never wait for the writer.
/// - An RFC 6962 Merkle tree covers the log: every commit stores the subtrees
///   its events complete, in the same transaction, so the tree's size is
///   always the head and proofs never rescan the log.
public final class EventStore: Sendable {
    public let environment: Environment
    /// Reads the log inside a transaction of the caller's (for projections).
    public let log: LogReader
    public let limits: Limits
    let hook: (any AppendHook)?
    let committer: GroupCommitter
    /// Held by every commit; maintenance that touches the writer's state
    /// (the hook's caches) runs holding it too (`withWriterRole`).
    private let role = WriterRole()
    private let headMonitor: HeadMonitor
    private let logger: Logger
    /// Appends refused for full storage: counted, logged (rate-limited), and
    /// the current spell of them, for health.
    public let storageRefusals: StorageRefusals
    private let merkleTree: Bool
    /// Whether the log has its Merkle tree: always, except a benchmark's log
    /// opened with `merkleTree: false` to measure the tree's cost.
    public var hasMerkleTree: Bool { merkleTree }

    /// Opens the log in `environment`, creating its databases on first use.
    ///
    /// - Parameters:
    ///   - hook: validation and projections run inside each append's transaction.
    ///   - clock: the source of `recordedAt`; tests pass a fixed clock.
    ///   - metrics: where `accord_commit_batch_events` and
    ///     `accord_commit_duration_seconds` go; the process's `MetricsSystem` by default.
    ///   - merkleTree: `false` only to measure the tree's cost (`accord bench
    ///     store --tree-cost`): such a log is marked and can never be opened with
    ///     the tree, nor a treed log without it.
    public init(
        environment: Environment, hook: (any AppendHook)? = nil, limits: Limits = Limits(),
        clock: @escaping @Sendable () -> Timestamp = Timestamp.now, logger: Logger = Logger(label: "accord.eventstore"),
        merkleTree: Bool = true, metrics: any MetricsFactory = MetricsSystem.factory
    ) throws {
        self.environment = environment
        self.hook = hook
        self.limits = limits
        self.logger = logger
        self.merkleTree = merkleTree
        let opened = try Self.openSegment(environment)
        let layout = try StorageLayout.open(environment)
        try Self.checkTreeSetting(merkleTree, layout: layout, environment: environment)
        if merkleTree, layout.storedFormat < StorageLayout.treeFormat {
            try LogReader.addMerkleTree(environment, layout: layout, logger: logger)
        }
        log = LogReader(layout: layout)
        storageRefusals = StorageRefusals(logger: logger, metrics: metrics)
        let writer = try BatchWriter(
            environment: environment, log: log, hook: hook, clock: clock, merkleTree: merkleTree, refusals: storageRefusals,
            segment: opened?.0)
        if let (_, records) = opened {
            // Under the writer role, as every commit: replaying resets the hook's caches.
            let replayed = try role.run { try writer.replay(records) }
            if replayed > 0 { logger.notice("replayed the write-ahead segment", metadata: ["events": "\(replayed)"]) }
            // Every later record is written in a new cycle, whose header is not marked clean.
            try writer.syncPoint(clean: false)
        }
        headMonitor = writer.headMonitor
        committer = GroupCommitter(
            writer: writer, role: role, maxBatchEvents: limits.maxBatchEvents, maxBatchBytes: limits.maxBatchBytes, metrics: metrics)
        logger.info("event store open", metadata: ["path": "\(environment.path)", "head": "\(headMonitor.head)"])
    }

    deinit {
        committer.shutdown()
    }

    /// Appends `events` to `stream` atomically and durably.
    ///
    /// - Parameter principal: who is appending, as authenticated by the caller's
    ///   transport; stored on every event.
    /// - Throws: `EventStoreError` (wrong expected version, event id conflict,
    ///   invalid request, storage full, shutting down) or whatever the append hook
    ///   threw to reject the events.
    @discardableResult
    public func append(
        to stream: StreamName, expected: ExpectedVersion = .any, events: [NewEvent], principal: String? = nil
    ) async throws -> AppendResult {
        let prepared = try prepare(to: stream, expected: expected, events: events, principal: principal)
        let result = try await withCheckedThrowingContinuation { continuation in
            submit(prepared) { continuation.resume(with: $0) }
        }
        try await waitUntilReadable(result.positions.upperBound)
        return result
    }

    /// Runs `body` holding the writer role, between commits: for maintenance
    /// of state the append hook keeps (a rebuild resetting its caches).
    public func withWriterRole<R>(_ body: () throws -> R) rethrows -> R {
        // The writer holds the role while its window is open: ask it to apply now.
        committer.requestApply()
        return try role.run(body)
    }

    /// Whether appends are accepted now (not read-only and not closing).
    public var isAcceptingAppends: Bool { committer.isAccepting }

    /// Sets how long the writer, after committing a lone append, watches
    /// for the next instead of sleeping (0, never, until set: a server sets
    /// it, `ServerConfiguration.spinNanoseconds`), and the processor
    /// pressure file that says whether the machine can spare a processor
    /// for it (`nil`: always; see `ProcessorPressure`).
    public func setLonePoll(nanoseconds: UInt64, pressureFile: String? = ProcessorPressure.systemFile) {
        committer.setLonePoll(nanoseconds: nanoseconds, pressureFile: pressureFile)
    }

    /// Whether the machine has a processor to spare for a watch starting
    /// at `now` (`Spin.now`), as `setLonePoll` set it up: the writer's poll
    /// and a server's event loop ask the same gauge.
    public func isProcessorSpare(now: UInt64) -> Bool {
        committer.pressure.isSpare(now: now)
    }

    /// The commit time of the last commit that wrote events, or `nil` for an empty log.
    public func lastCommitAt() throws -> Timestamp? {
        try read { txn in try txn.get(log.layout.meta, "last_recorded_at").map { Timestamp(microseconds: Int64(bitPattern: $0)) } }
    }

    /// The log's length as of the last commit: events occupy `0..<head`,
    /// and every read sees them.
    public var head: Position { headMonitor.head }

    /// The log's length as of the last acknowledged append: never behind
    /// `head`, and ahead of it while LMDB has not applied a window of
    /// commits that the write-ahead segment made durable (for at most a
    /// few milliseconds; `whenReadable` waits for it).
    public var durableHead: Position { headMonitor.durableHead }

    /// Runs `body` (on `executor`, or on the calling or writer thread when
    /// `nil`) once reads see every append acknowledged before this call:
    /// at once when they do; else the writer is asked to apply its window.
    /// Fails only when acknowledged appends cannot be applied until the
    /// server restarts (they are safe in the write-ahead segment).
    public func whenReadable(
        on executor: (any CompletionExecutor)?, _ body: @escaping @Sendable (Result<Void, EventStoreError>) -> Void
    ) {
        whenApplied(headMonitor.durableHead, on: executor, body)
    }

    /// Waits until reads see the log up to `position` (the durable head by default).
    public func waitUntilReadable(_ position: Position? = nil) async throws {
        let wanted = position ?? headMonitor.durableHead
        guard headMonitor.head < wanted else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            whenApplied(wanted, on: nil) { continuation.resume(with: $0.mapError { $0 }) }
        }
    }

    private func whenApplied(
        _ position: Position, on executor: (any CompletionExecutor)?, _ body: @escaping @Sendable (Result<Void, EventStoreError>) -> Void
    ) {
        headMonitor.whenApplied(position, on: executor, body)
        if headMonitor.head < position { committer.requestApply() }
    }

    /// Heads after each commit, newest only (see `HeadMonitor`).
    public func headUpdates() -> AsyncStream<Position> { headMonitor.updates() }

    /// Calls `notify` on `executor` after commits that moved the head, with
    /// the head then; notifications that would queue behind one not yet run
    /// are merged into it. Stops when the returned observation is cancelled.
    public func observeCommits(
        on executor: any CompletionExecutor, _ notify: @escaping @Sendable (Position) -> Void
    ) -> HeadMonitor.Observation {
        headMonitor.observe(on: executor, notify)
    }

    /// Commits what is queued, then refuses further appends. Reads keep working.
    public func close() {
        committer.shutdown()
        headMonitor.finish()
    }

    /// Runs `body` in a read snapshot, for several reads that must agree.
    public func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        try environment.read(body)
    }
}

extension EventStore {
    /// A log written without the Merkle tree is marked `untreed` in `meta`;
    /// mixing the two would leave the tree covering part of the log.
    fileprivate static func checkTreeSetting(_ merkleTree: Bool, layout: StorageLayout, environment: Environment) throws {
        let (untreed, head) = try environment.read { txn in
            (try txn.get(layout.meta, "untreed") == 1, try LogReader(layout: layout).head(in: txn))
        }
        guard merkleTree == untreed else { return }
        if merkleTree {
            throw EventStoreError.corrupted("this log was written without a Merkle tree (a benchmark's log) and cannot be opened with one")
        }
        guard head == 0, !environment.options.readOnly else {
            throw EventStoreError.invalidRequest("only an empty log can be opened without its Merkle tree")
        }
        try environment.write { txn in try txn.put(layout.meta, "untreed", 1) }
    }
}
