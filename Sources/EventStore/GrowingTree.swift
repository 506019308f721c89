import AccordCore
import AccordJSON
import Merkle

/// A commit's tree as it grows: its leaf hashes, in order, and the subtrees they complete.
struct GrowingTree: Sendable {
    var hashes: [TreeHash] = []
    var batch: MerkleBatch

    init(continuing range: CompactRange) {
        batch = MerkleBatch(continuing: range)
    }

    /// The next leaf of the commit, in position order.
    mutating func record(_ hash: TreeHash) {
        hashes.append(hash)
        batch.append(hash)
    }
}
