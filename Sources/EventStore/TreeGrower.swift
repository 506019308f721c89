import AccordCore
import AccordJSON
import Foundation
import Merkle

/// Grows the Merkle tree by one commit's leaves, beside the writer when the
/// commit is large.
///
/// The writer hands over succeeded requests' leaves in chunks; a helper
/// thread finishes the leaf hashes and grows the subtrees they complete while
/// the writer goes on with the commit's later requests, and at the end the
/// writer hashes the leaves the helper has not started itself. Waking a
/// thread costs several microseconds here (an interrupt to another CPU), so
/// hand-overs are few, and a commit of few requests is grown inline. Either
/// way the result is the same tree, stored in the same transaction as the
/// events.
///
/// Used by the writer only, one commit at a time: `begin`, any number of
/// `add`, then `finish`. What the two threads share is `TreeGrowerState`,
/// behind a `ConditionLock`; the growing tree itself is owned by whichever
/// thread holds it (the helper takes it out of the state while it works).
final class TreeGrower {
    /// Commits of at least this many requests are grown beside the writer,
    /// on machines with four cores or more. On fewer, the helper only
    /// competes with the event loop and the writer for the same cores: on a
    /// 2-core machine a server at 64 connections did 12% more appends with
    /// 8% less CPU each when the writer grew every commit itself.
    static let besideFromByDefault = ProcessInfo.processInfo.activeProcessorCount >= 4 ? 16 : Int.max

    /// Commits of at least this many requests are grown beside the writer.
    let besideFrom: Int

    init(besideFrom: Int = TreeGrower.besideFromByDefault) {
        self.besideFrom = besideFrom
    }

    /// The writer wakes a sleeping helper once this many leaves wait, so a
    /// commit costs a handful of wake-ups rather than one per request.
    static let wakeAt = 16

    private let shared = ConditionLock(TreeGrowerState())
    private var helper: WriterThread?
    private var beside = false
    /// The growing tree while the writer grows inline.
    private var growing = GrowingTree(continuing: CompactRange())
    private var recordedAtJSON: [UInt8] = []
    private var scratch = JSONWriter(capacity: 512)
    /// Leaves not yet handed over.
    private var unsent: [PendingLeaf] = []

    /// Starts a commit that continues `range`, with `requests` requests.
    /// Leaves of an abandoned commit (one that threw) are dropped.
    func begin(continuing range: CompactRange, recordedAt: Timestamp, requests: Int) {
        _ = shared.withLock { $0.takeUnstarted() }
        _ = takeBack()
        unsent.removeAll(keepingCapacity: true)
        var stamp = JSONWriter(capacity: 32)
        recordedAt.writeRFC3339(into: &stamp)
        recordedAtJSON = stamp.bytes
        let tree = GrowingTree(continuing: range)
        beside = requests >= besideFrom && helperRuns()

        if beside {
            let json = recordedAtJSON
            shared.withLock { $0.begin(tree, recordedAtJSON: json) }
        } else {
            growing = tree
        }
    }

    /// Adds a succeeded request's leaves, in position order. Beside the
    /// writer they are handed over in chunks of `wakeAt`: one lock and at
    /// most one wake-up per chunk.
    func add(_ leaves: [PendingLeaf]) {
        guard beside else {
            for leaf in leaves { growing.record(leaf.hash(recordedAtJSON: recordedAtJSON, scratch: &scratch)) }
            return
        }
        unsent.append(contentsOf: leaves)
        guard unsent.count >= Self.wakeAt else { return }
        let wake = shared.withLock { $0.handOver(unsent) }
        unsent.removeAll(keepingCapacity: true)
        if wake { shared.broadcast() }
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
        guard beside else { return (growing.hashes, growing.batch) }
        let unstarted = shared.withLock { $0.takeUnstarted() }
        let tail = (unstarted + unsent).map { $0.hash(recordedAtJSON: recordedAtJSON, scratch: &scratch) }
        unsent.removeAll(keepingCapacity: true)
        var tree = takeBack() ?? growing
        tail.forEach { tree.record($0) }
        beside = false
        return (tree.hashes, tree.batch)
    }

    /// Ends the helper thread, if it was started.
    func stop() {
        if shared.withLock({ $0.stop() }) { shared.broadcast() }
        helper?.join()
        helper = nil
    }

    /// Waits until the helper has finished every leaf handed to it; returns
    /// the tree it was growing, if a commit was grown beside.
    private func takeBack() -> GrowingTree? {
        shared.wait { state in state.writerTakeBack() }
    }

    /// Starts the helper on first use; `false` once it has been stopped.
    private func helperRuns() -> Bool {
        switch shared.withLock({ $0.start() }) {
        case .running: return true
        case .stopped: return false
        case .startThread:
            let shared = shared
            helper = WriterThread(name: "accord-merkle") { Self.runHelper(shared) }
            return true
        }
    }

    private static func runHelper(_ shared: ConditionLock<TreeGrowerState>) {
        var scratch = JSONWriter(capacity: 512)
        while let (leaves, json, tree) = shared.wait({ $0.helperNext() }) {
            var tree = tree
            for leaf in leaves { tree.record(leaf.hash(recordedAtJSON: json, scratch: &scratch)) }
            if shared.withLock({ $0.helperFinished(leaves.count, tree) }) { shared.broadcast() }
        }
    }
}
