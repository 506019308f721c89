import CoreMetrics
import Logging
import Synchronization

/// Appends refused because storage is full (`storage_full`): counted, logged
/// at most once per `logInterval` with the count since the last line, and
/// remembered until a commit succeeds again, so that health and readiness
/// say appends are refused while they are.
///
/// Updated by the writer after each commit; read by anyone.
public final class StorageRefusals: Sendable {
    /// The refusals since the last successful commit.
    public struct Spell: Sendable, Equatable {
        /// Appends refused since the spell began.
        public var refused: Int
        /// Why, as the last refusal said it.
        public var reason: String
        /// When the spell began (monotonic, for its length in the log).
        public var since: ContinuousClock.Instant
    }

    private struct State {
        var spell: Spell?
        var total = 0
        var unlogged = 0
        var loggedAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let counter: Counter
    private let logger: Logger
    private let logInterval: Duration

    init(logger: Logger, metrics: any MetricsFactory, logInterval: Duration = .seconds(10)) {
        self.logger = logger
        self.logInterval = logInterval
        counter = Counter(label: "accord_storage_full_total", factory: metrics)
    }

    /// The current spell of refusals, or nil while appends commit.
    public var spell: Spell? { state.withLock { $0.spell } }

    /// Appends refused for full storage since the store opened.
    public var total: Int { state.withLock { $0.total } }

    /// `count` appends were refused, each with `storage_full` for `reason`.
    func refused(_ count: Int, reason: String, now: ContinuousClock.Instant = .now) {
        counter.increment(by: Int64(count))
        let line: (refused: Int, first: Bool)? = state.withLock { state in
            state.total += count
            state.unlogged += count
            let first = state.spell == nil
            if first { state.spell = Spell(refused: 0, reason: reason, since: now) }
            state.spell?.refused += count
            state.spell?.reason = reason
            guard first || state.loggedAt.map({ now - $0 >= logInterval }) ?? true else { return nil }
            defer {
                state.unlogged = 0
                state.loggedAt = now
            }
            return (state.unlogged, first)
        }
        guard let line else { return }
        logger.error(
            "appends refused: \(reason)",
            metadata: ["refused": "\(line.refused)", "since": line.first ? "now" : "the last line", "code": "storage_full"])
    }

    /// A commit succeeded: the spell, if any, is over.
    func committed(now: ContinuousClock.Instant = .now) {
        let ended = state.withLock { state -> Spell? in
            guard let spell = state.spell else { return nil }
            state.spell = nil
            state.unlogged = 0
            state.loggedAt = nil
            return spell
        }
        guard let ended else { return }
        logger.notice(
            "appends accepted again after storage was full",
            metadata: ["refused": "\(ended.refused)", "seconds": "\((now - ended.since).components.seconds)"])
    }
}
