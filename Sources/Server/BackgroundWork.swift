import Dispatch
import NIOPosix

/// Work a connection hands to NIO's blocking pool (long queries, watch
/// snapshots and steps), counted so that shutdown can wait for it: such work
/// reads the store and then completes on its connection's event loop, so the
/// store must stay open and the loops running until the last of it is done,
/// even when its connection has already gone.
final class BackgroundWork: Sendable {
    private let group = DispatchGroup()

    /// Runs `body` on the blocking pool; `body` hands its result to a loop before it returns.
    func submit(_ body: @escaping @Sendable () -> Void) {
        group.enter()
        NIOThreadPool.singleton.submit { [group] _ in
            body()
            group.leave()
        }
    }

    /// Returns once every submitted piece of work has finished.
    func finished() async {
        await withCheckedContinuation { continuation in
            group.notify(queue: .global()) { continuation.resume() }
        }
    }
}
