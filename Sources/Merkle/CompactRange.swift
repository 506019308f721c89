/// The peaks of a growing tree: all an appender needs to add leaves and to
/// compute the root, O(log n) hashes (RFC 9162 §2.1.2's "compact range").
///
/// Appending returns every complete subtree the leaf finished, in storage
/// order, so the caller can store them in the same transaction.
public struct CompactRange: Sendable, Equatable {
    /// The number of leaves covered.
    public private(set) var size: UInt64
    /// The peak hashes, largest subtree first.
    public private(set) var peaks: [TreeHash]

    /// The empty tree.
    public init() {
        size = 0
        peaks = []
    }

    /// A range rebuilt from stored peaks; `peaks.count` must equal `size.nonzeroBitCount`.
    public init(size: UInt64, peaks: [TreeHash]) {
        precondition(peaks.count == size.nonzeroBitCount, "a tree of \(size) leaves has \(size.nonzeroBitCount) peaks")
        self.size = size
        self.peaks = peaks
    }

    /// Adds a leaf; calls `completed` with each subtree finished (the leaf
    /// first, then each parent), with its level and index.
    public mutating func append(_ leaf: TreeHash, completed: (_ level: Int, _ index: UInt64, _ hash: TreeHash) throws -> Void) rethrows {
        try completed(0, size, leaf)
        var hash = leaf
        var level = 0
        var leavesAbove = size
        while leavesAbove & 1 == 1 {
            hash = RFC6962.nodeHash(peaks.removeLast(), hash)
            level += 1
            leavesAbove >>= 1
            try completed(level, leavesAbove, hash)
        }
        peaks.append(hash)
        size += 1
    }

    /// MTH of the leaves so far: the peaks folded from the right.
    public var root: TreeHash {
        guard var hash = peaks.last else { return RFC6962.emptyRoot }
        for peak in peaks.dropLast().reversed() { hash = RFC6962.nodeHash(peak, hash) }
        return hash
    }
}
