import AccordJSON
import Foundation
import Merkle

/// Grows the Merkle tree by one commit's leaves, beside the writer when the
/// commit is large.
///
/// The writer hands over succeeded requests' leaves in chunks; a helper
/// thread finishes the leaf hashes and the subtrees they complete while the
/// writer goes on with the commit's later requests, and at the end the
/// writer hashes the leaves the helper has not started itself. Waking a
/// thread costs several microseconds here (an interrupt to another CPU), so
/// hand-overs are few, and a commit of few requests is grown inline. Either
/// way the result is the same tree, stored in the same transaction as the
/// events.
///
/// Used by the group-commit thread only, one commit at a time: `begin`, any
/// number of `add`, then `finish`. Lifecycle of the helper: `idle` until the
/// first large commit starts it, `running` while it serves commits,
/// `stopping` once `stop()` asks it to exit, `stopped` after it has.
final class TreeGrower: @unchecked Sendable {
    /// Commits of at least this many requests are grown beside the writer.
    static let besideFrom = 16
    /// The writer wakes a sleeping helper once this many leaves wait, so a
    /// commit costs a handful of wake-ups rather than one per request.
    private static let wakeAt = 16

    private enum Lifecycle {
        case idle
        case running
        case stopping
        case stopped
    }

    // Guards `lifecycle` through `writerWaiting`.
    private let condition = NSCondition()
    private var lifecycle = Lifecycle.idle
    private var queue: [PendingLeaf] = []
    private var submitted = 0
    private var finished = 0
    private var helperWaiting = false
    private var writerWaiting = false
    private let exited = DispatchSemaphore(value: 0)

    // The commit being grown. Written by `begin` while no leaves are
    // outstanding, then only by whoever finishes leaves (the helper, or the
    // writer inline), and read by `finish` once all are finished: the lock
    // orders each hand-over.
    private var beside = false
    private var batch = MerkleBatch(continuing: CompactRange())
    private var hashes: [TreeHash] = []
    private var recordedAtJSON: [UInt8] = []
    private var scratch = JSONWriter(capacity: 512)
    private var spare: [PendingLeaf] = []
    /// The writer's own: leaves not yet handed over.
    private var unsent: [PendingLeaf] = []

    /// Starts a commit that continues `range`, with `requests` requests.
    /// Leaves of an abandoned commit (one that threw) are dropped.
    func begin(continuing range: CompactRange, recordedAt: Timestamp, requests: Int) {
        waitForOutstanding()
        unsent.removeAll(keepingCapacity: true)
        beside = requests >= Self.besideFrom && helperRuns()
        batch = MerkleBatch(continuing: range)
        hashes.removeAll(keepingCapacity: true)
        var stamp = JSONWriter(capacity: 32)
        recordedAt.writeRFC3339(into: &stamp)
        recordedAtJSON = stamp.bytes
    }

    /// Adds a succeeded request's leaves, in position order. Beside the
    /// writer they are handed over in chunks of `wakeAt`: one lock and at
    /// most one wake-up per chunk.
    func add(_ leaves: [PendingLeaf]) {
        guard beside else { return grow(leaves, scratch: &scratch) }
        unsent.append(contentsOf: leaves)
        guard unsent.count >= Self.wakeAt else { return }
        condition.lock()
        queue.append(contentsOf: unsent)
        submitted += unsent.count
        if helperWaiting {
            helperWaiting = false
            condition.signal()
        }
        condition.unlock()
        unsent.removeAll(keepingCapacity: true)
    }

    /// The commit's leaf hashes (leaf `i` is the commit's `i`th event) and
    /// the subtrees they complete.
    ///
    /// The writer hashes the leaves the helper has not started (the last
    /// chunk, and any the helper has not woken for) while the helper
    /// finishes the ones it has, rather than waiting for a sleeping thread
    /// to wake: leaf hashes are independent, and only the subtrees need the
    /// leaves in order, which the helper's always precede.
    func finish() -> (hashes: [TreeHash], batch: MerkleBatch) {
        guard beside else { return (hashes, batch) }
        condition.lock()
        unsent.insert(contentsOf: queue, at: 0)
        submitted -= queue.count
        queue.removeAll(keepingCapacity: true)
        condition.unlock()
        let tail = unsent.map { $0.hash(recordedAtJSON: recordedAtJSON, scratch: &scratch) }
        unsent.removeAll(keepingCapacity: true)
        waitForOutstanding()
        tail.forEach(record)
        return (hashes, batch)
    }

    /// Ends the helper thread, if it was started.
    func stop() {
        condition.lock()
        let started = lifecycle == .running
        lifecycle = started ? .stopping : .stopped
        condition.broadcast()
        condition.unlock()
        if started { exited.wait() }
    }

    private func grow(_ leaves: [PendingLeaf], scratch: inout JSONWriter) {
        for leaf in leaves { record(leaf.hash(recordedAtJSON: recordedAtJSON, scratch: &scratch)) }
    }

    /// The next leaf of the commit, in position order.
    private func record(_ hash: TreeHash) {
        hashes.append(hash)
        batch.append(hash)
    }

    private func waitForOutstanding() {
        condition.lock()
        while finished < submitted {
            if helperWaiting {
                helperWaiting = false
                condition.broadcast()
            }
            writerWaiting = true
            condition.wait()
            writerWaiting = false
        }
        condition.unlock()
    }

    /// Starts the helper on first use; `false` once it has been stopped.
    private func helperRuns() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        switch lifecycle {
        case .running: return true
        case .stopping, .stopped: return false
        case .idle:
            lifecycle = .running
            let thread = Thread { [self] in runHelper() }
            thread.name = "accord-merkle"
            thread.start()
            return true
        }
    }

    private func runHelper() {
        var helperScratch = JSONWriter(capacity: 512)
        condition.lock()
        while true {
            while queue.isEmpty, lifecycle == .running {
                // Whoever wakes the helper clears this, so it is woken once.
                helperWaiting = true
                condition.wait()
            }
            helperWaiting = false
            guard !queue.isEmpty else { break }
            swap(&queue, &spare)
            condition.unlock()
            grow(spare, scratch: &helperScratch)
            let count = spare.count
            spare.removeAll(keepingCapacity: true)
            condition.lock()
            finished += count
            if writerWaiting { condition.broadcast() }
        }
        lifecycle = .stopped
        condition.unlock()
        exited.signal()
    }
}
