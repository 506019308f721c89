import Dispatch
import NIOPosix

/// The blocking pools connections hand work to, counted so that shutdown
/// can wait for it: such work reads the store and then completes on its
/// connection's event loop, so the store must stay open and the loops
/// running until the last of it is done, even when its connection has gone.
///
/// Two lanes, each its own threads, so that work whose cost follows the
/// log's length (replaying history for `asOf` and `effectiveAt`) never
/// queues in front of a page of events or a large line's decoding. Each
/// connection has at most `ConnectionStateMachine.Limits.poolJobs` jobs in
/// the lanes at once, so one connection's pipelined folds wait behind each
/// other, not in front of everyone else's.
final class BackgroundWork: Sendable {
    enum Lane: Sendable {
        /// Pages of the log, projections at the head, watch snapshots and steps, decoding large lines.
        case query
        /// Replays of history (`asOf`, `effectiveAt`): a fold of the log up to a position.
        case fold
    }

    private let group = DispatchGroup()
    private let queries: NIOThreadPool
    private let folds: NIOThreadPool

    init(queryThreads: Int, foldThreads: Int) {
        queries = NIOThreadPool(numberOfThreads: max(1, queryThreads))
        folds = NIOThreadPool(numberOfThreads: max(1, foldThreads))
        queries.start()
        folds.start()
    }

    /// Runs `body` on `lane`'s threads; `body` hands its result to a loop before it returns.
    func submit(_ lane: Lane, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        let pool = lane == .fold ? folds : queries
        pool.submit { [group] _ in
            body()
            group.leave()
        }
    }

    /// Returns once every submitted piece of work has finished, then stops the threads.
    func finished() async {
        await withCheckedContinuation { continuation in
            group.notify(queue: .global()) { continuation.resume() }
        }
        try? await queries.shutdownGracefully()
        try? await folds.shutdownGracefully()
    }
}
