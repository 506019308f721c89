import Merkle

/// What the writer and the tree grower's helper share, and the rules of their
/// hand-over, as a state machine: each method changes the state and says
/// whether the other side must be woken (or whether to wait); the threads
/// do the hashing outside the lock.
///
/// Lifecycle of the helper: `idle` until the first large commit starts it,
/// `running` while it serves commits, `stopping` once asked to exit,
/// `stopped` after. The growing tree is in `tree` while neither thread
/// holds it, and taken out by the helper while it grows a chunk.
struct TreeGrowerState: Sendable {
    enum Lifecycle {
        case idle
        case running
        case stopping
        case stopped
    }

    enum StartAction {
        case running
        case startThread
        case stopped
    }

    private(set) var lifecycle = Lifecycle.idle
    private var queue: [PendingLeaf] = []
    private var submitted = 0
    private var finished = 0
    private var tree: GrowingTree?
    private var recordedAtJSON: [UInt8] = []
    private var helperWaiting = false
    private var writerWaiting = false

    mutating func start() -> StartAction {
        switch lifecycle {
        case .running: return .running
        case .stopping, .stopped: return .stopped
        case .idle:
            lifecycle = .running
            return .startThread
        }
    }

    /// A commit begins beside the writer, growing `tree`.
    mutating func begin(_ tree: GrowingTree, recordedAtJSON: [UInt8]) {
        precondition(submitted == finished && queue.isEmpty, "a commit began with leaves outstanding")
        self.tree = tree
        self.recordedAtJSON = recordedAtJSON
    }

    /// The writer hands `leaves` over; `true` when the helper must be woken.
    mutating func handOver(_ leaves: [PendingLeaf]) -> Bool {
        queue.append(contentsOf: leaves)
        submitted += leaves.count
        guard helperWaiting else { return false }
        helperWaiting = false
        return true
    }

    /// The writer takes back the leaves the helper has not started.
    mutating func takeUnstarted() -> [PendingLeaf] {
        defer {
            submitted -= queue.count
            queue.removeAll(keepingCapacity: true)
        }
        return queue
    }

    /// The writer waits for the helper's outstanding leaves, then takes the tree.
    mutating func writerTakeBack() -> ConditionLock<TreeGrowerState>.Decision<GrowingTree?> {
        if finished < submitted {
            writerWaiting = true
            return .wait
        }
        writerWaiting = false
        defer { tree = nil }
        return .done(tree)
    }

    /// The helper's next chunk with the tree to grow it into, or `nil` to exit.
    mutating func helperNext() -> ConditionLock<TreeGrowerState>.Decision<([PendingLeaf], [UInt8], GrowingTree)?> {
        if !queue.isEmpty, let growing = tree {
            tree = nil
            helperWaiting = false
            defer { queue.removeAll(keepingCapacity: true) }
            return .done((queue, recordedAtJSON, growing))
        }
        guard lifecycle == .running else {
            lifecycle = .stopped
            return .done(nil)
        }
        helperWaiting = true
        return .wait
    }

    /// The helper grew `count` leaves into `grown`; `true` when the writer waits for it.
    mutating func helperFinished(_ count: Int, _ grown: GrowingTree) -> Bool {
        finished += count
        tree = grown
        return writerWaiting
    }

    /// Asks the helper to exit; `true` when it must be woken to notice.
    mutating func stop() -> Bool {
        switch lifecycle {
        case .running:
            lifecycle = .stopping
            return true
        case .idle:
            lifecycle = .stopped
            return false
        case .stopping, .stopped:
            return false
        }
    }
}
