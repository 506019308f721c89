import AccordCore
import Agreements
import Checkpoints
import EventStore
import LMDB
import Logging
import Registry
import Transparency

/// The server checking its own store while it serves: a quick check at
/// start, then the whole check (`StoreCheck`'s, in steps) over and over in
/// the background at a bounded rate, so damage that appears later (a bit
/// flipped on disk, a page written wrong) is found by the server rather
/// than by a reader who was served it.
///
/// Cost: at most `eventsPerSecond` events checked per second, in steps of
/// `step` events, each in a read transaction of its own (so no snapshot is
/// held long); the closing comparison of one pass (the indexes and the
/// projections against the fold) runs in one transaction. A pass starts
/// at start and then every `interval` after the last one ended.
public struct StoreScrub: Sendable {
    public struct Settings: Sendable {
        /// Events checked per second at most; 0 turns the scrub off.
        public var eventsPerSecond = 50_000
        /// Time between the end of one pass and the start of the next (at least a second).
        public var interval: Duration = .seconds(3_600)
        /// Events per read transaction.
        public var step = 4_096
        /// The start check compares the projections with a fold when the log holds at most this many events.
        public var startFoldUpTo: UInt64 = 200_000

        public init() {}
    }

    let store: EventStore
    let registry: Registry
    let checkpoints: any CheckpointSource
    let damage: StoreDamage
    let settings: Settings
    let logger: Logger

    public init(
        store: EventStore, registry: Registry, checkpoints: any CheckpointSource, damage: StoreDamage, settings: Settings, logger: Logger
    ) {
        self.store = store
        self.registry = registry
        self.checkpoints = checkpoints
        self.damage = damage
        self.settings = settings
        self.logger = logger
    }

    /// At start, before serving: the head record reads back, the tree's root
    /// at the newest checkpoint's size is the signed one, and (a log of at
    /// most `startFoldUpTo` events) the projections equal a fold of the log.
    /// Returns what it found (also noted in `damage` and logged).
    @discardableResult
    public func quickCheck() throws -> [String] {
        var findings: [String] = []
        try store.read { txn in
            let head = try store.log.head(in: txn)
            if head > 0 {
                do {
                    guard try store.log.event(at: head - 1, in: txn) != nil else {
                        throw EventStoreError.corrupted("the head record \(head - 1) is missing")
                    }
                } catch {
                    findings.append("log: the head record \(head - 1) cannot be read: \(error)")
                }
            }
            if let (signed, _) = try checkpoints.latest(), signed.checkpoint.size <= head {
                let size = signed.checkpoint.size
                let root = try? store.log.root(size: size, in: txn)
                if root != signed.checkpoint.root {
                    findings.append("checkpoint: the tree's root at \(size) events is not the one the newest checkpoint signed")
                }
            }
            if head <= settings.startFoldUpTo {
                let folded = try registry.fold(store, in: txn)
                for table in try registry.check(against: folded, in: txn) where !table.matches {
                    findings +=
                        table.differences.isEmpty
                        ? ["projection \(table.table): its digest differs from a fresh fold of the log"]
                        : table.differences.map { "projection \(table.table): \($0)" }
                }
            }
        }
        damage.record(findings: findings, events: store.head)
        for finding in findings { logger.critical("the store is damaged", metadata: ["finding": "\(finding)"]) }
        return findings
    }

    /// Passes until cancelled (the server stopping).
    func run(metrics: ServerMetrics) async {
        guard settings.eventsPerSecond > 0 else { return }
        while !Task.isCancelled {
            do {
                let report = try await pass(metrics: metrics)
                damage.record(report)
                metrics.scrubPasses.increment()
                metrics.scrubLastPass.record(Timestamp.now().microseconds / 1_000_000)
                metrics.scrubFindings.record(Int64(report.findings.count))
                if report.isDamaged {
                    for finding in report.findings { logger.critical("the scrub found damage", metadata: ["finding": "\(finding)"]) }
                } else {
                    logger.info("scrub pass clean", metadata: ["events": "\(report.events)"])
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("the scrub could not finish a pass", metadata: ["error": "\(error)"])
            }
            // At least a second apart: a pass's closing comparison reads every projection, whatever the log's length.
            guard (try? await Task.sleep(for: max(settings.interval, .seconds(1)))) != nil else { return }
        }
    }

    /// One pass: the log in steps at the bounded rate, folding as it goes,
    /// then the closing comparisons in one transaction.
    func pass(metrics: ServerMetrics) async throws -> StoreCheck.Report {
        var checker = LogChecker(store: store)
        var folded = RegisterState()
        let clock = ContinuousClock()
        let perStep = Duration.seconds(Double(settings.step) / Double(settings.eventsPerSecond))
        while true {
            let started = clock.now
            let checked = try store.read { txn in
                let from = checker.next
                let checked = try checker.step(limit: settings.step, in: txn)
                // A damaged log is not folded: the projections' comparison would say nothing more.
                if !checker.isDamaged { try fold(&folded, from: from, to: checker.next, in: txn) }
                return checked
            }
            metrics.scrubPosition.record(Int64(checker.next))
            if checked < settings.step { break }
            try await Task.sleep(until: started + perStep, clock: clock)
        }
        let chain = try KeyChain(store: store)
        let keys = try checkpoints.latest().map { [$0.key] } ?? []
        return try store.read { txn in
            let from = checker.next
            try checker.finish(in: txn)
            if !checker.isDamaged { try fold(&folded, from: from, to: checker.next, in: txn) }
            folded.position = checker.next
            var report = StoreCheck.Report(
                events: checker.next, root: checker.root, log: checker.problems, checkpoint: nil, checkpointProblem: nil,
                checkpointChecked: !keys.isEmpty, tables: [], agreements: folded.damaged)
            if checker.problems.isEmpty, !keys.isEmpty {
                (report.checkpoint, report.checkpointProblem, _) = try OfflineAudit(store: store).checkLatestCheckpoint(
                    keys: keys, chain: chain, logSize: checker.next, in: txn)
            }
            if !checker.isDamaged { report.tables = try registry.check(against: folded, in: txn) }
            return report
        }
    }

    private func fold(_ state: inout RegisterState, from: Position, to end: Position, in txn: borrowing Transaction) throws {
        guard from < end else { return }
        try store.log.scanRecords(from: from, in: txn) { record in
            guard record.position < end else { return false }
            state.apply(record)
            return true
        }
    }
}
