import EventStore
import NIOCore

/// The store's completion executor for one event loop: runs a commit's
/// completions for this loop, then flushes the connections they answered.
final class LoopExecutor: CompletionExecutor {
    /// The loop's shared state while the server runs; `nil` once it stopped.
    let shared: NIOLoopBoundBox<LoopShared?>
    /// Where a lone append's completion goes while the loop watches for it.
    let handOff = CompletionHandOff()

    /// Created on `eventLoop`.
    init(eventLoop: any EventLoop) {
        shared = NIOLoopBoundBox(nil, eventLoop: eventLoop)
    }

    /// Whether the server still runs (called on the loop).
    var isBound: Bool { shared.value != nil }

    func execute(_ work: @escaping @Sendable () -> Void) {
        if handOff.deliver(work) { return }
        let shared = shared
        shared.eventLoop.execute {
            work()
            shared.value?.flush()
        }
    }
}
