import LMDB
import Merkle

extension EventStore {
    /// The committed tree: its size (the head) and root, from one snapshot.
    public func treeHead() throws -> (size: UInt64, root: TreeHash) {
        try requireTree()
        return try read { txn in
            let size = try log.head(in: txn)
            return (size, try log.proofs(in: txn).root(size: size))
        }
    }

    /// The root of the tree over the first `size` events.
    public func root(size: UInt64) throws -> TreeHash {
        try requireTree()
        return try read { txn in
            try checkSize(size, in: txn)
            return try log.proofs(in: txn).root(size: size)
        }
    }

    /// The audit path of the event at `position` in the tree of `treeSize`,
    /// with the event's leaf hash and that tree's root.
    public func inclusionProof(position: Position, treeSize: UInt64) throws -> (leaf: TreeHash, root: TreeHash, path: [TreeHash]) {
        try requireTree()
        return try read { txn in
            try checkSize(treeSize, in: txn)
            let proofs = log.proofs(in: txn)
            let path = try proofs.inclusionProof(index: position, size: treeSize)
            return (try log.leafHash(at: position, in: txn), try proofs.root(size: treeSize), path)
        }
    }

    /// A proof that the tree of `oldSize` is a prefix of the tree of `newSize`,
    /// with both roots.
    public func consistencyProof(oldSize: UInt64, newSize: UInt64) throws -> (oldRoot: TreeHash, newRoot: TreeHash, path: [TreeHash]) {
        try requireTree()
        return try read { txn in
            try checkSize(newSize, in: txn)
            let proofs = log.proofs(in: txn)
            let path = try proofs.consistencyProof(oldSize: oldSize, newSize: newSize)
            return (try proofs.root(size: oldSize), try proofs.root(size: newSize), path)
        }
    }

    private func requireTree() throws {
        guard hasMerkleTree else {
            throw EventStoreError.invalidRequest("this log was written without a Merkle tree (a benchmark's log): it has no checkpoints or proofs")
        }
    }

    private func checkSize(_ size: UInt64, in txn: Transaction) throws {
        let head = try log.head(in: txn)
        guard size <= head else { throw MerkleError.outOfRange("the log holds \(head) events; there is no tree of \(size)") }
    }
}
