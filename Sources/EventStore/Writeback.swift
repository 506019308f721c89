import LMDB

/// Starts the data file's writeback every `interval` (after commits) on a thread of its own,
/// so that a sync point's `fdatasync` (which every commit waits behind)
/// finds few dirty pages left. Only for a store whose commits go through the
/// write-ahead segment: LMDB's own commits are then unsynced, and without
/// this the kernel would hold their pages until the sync point.
final class Writeback: Sendable {
    private let stopping: ConditionLock<Bool>
    private let thread: WriterThread

    init(environment: Environment, intervalNanoseconds: UInt64) {
        let stopping = ConditionLock(false)
        self.stopping = stopping
        thread = WriterThread(name: "accord-flusher") {
            // An idle store's file has nothing to write back: no call then.
            var written = environment.info().lastTransactionID
            while true {
                let deadline = ConditionLock<Bool>.now + intervalNanoseconds
                let stop = stopping.wait { stop in
                    stop ? .done(true) : ConditionLock<Bool>.now >= deadline ? .done(false) : .waitUntil(deadline: deadline)
                }
                if stop { return }
                let last = environment.info().lastTransactionID
                guard last != written else { continue }
                environment.startWriteback()
                written = last
            }
        }
    }

    /// Ends the thread. Safe to call more than once.
    func stop() {
        stopping.withLock { $0 = true }
        stopping.signal()
        thread.join()
    }
}
