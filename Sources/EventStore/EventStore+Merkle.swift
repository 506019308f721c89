import AccordCore
import LMDB
import Merkle

extension EventStore {
    /// The committed tree: its size (the head) and root, from one snapshot.
    public func treeHead() throws -> (size: UInt64, root: TreeHash) {
        try requireTree()
        return try treeRead { txn in
            let size = try log.head(in: txn)
            return (size, try log.root(size: size, in: txn))
        }
    }

    /// The root of the tree over the first `size` events.
    public func root(size: UInt64) throws -> TreeHash {
        try requireTree()
        return try treeRead { txn in
            try checkSize(size, in: txn)
            return try log.root(size: size, in: txn)
        }
    }

    /// The audit path of the event at `position` in the tree of `treeSize`,
    /// with the event's leaf hash and that tree's root.
    public func inclusionProof(position: Position, treeSize: UInt64) throws -> (leaf: TreeHash, root: TreeHash, path: [TreeHash]) {
        try requireTree()
        return try treeRead { txn in
            try checkSize(treeSize, in: txn)
            let path = try log.inclusionProof(index: position, size: treeSize, in: txn)
            return (try log.leafHash(at: position, in: txn), try log.root(size: treeSize, in: txn), path)
        }
    }

    /// A proof that the tree of `oldSize` is a prefix of the tree of `newSize`,
    /// with both roots.
    public func consistencyProof(oldSize: UInt64, newSize: UInt64) throws -> (oldRoot: TreeHash, newRoot: TreeHash, path: [TreeHash]) {
        try requireTree()
        return try treeRead { txn in
            try checkSize(newSize, in: txn)
            let path = try log.consistencyProof(oldSize: oldSize, newSize: newSize, in: txn)
            return (try log.root(size: oldSize, in: txn), try log.root(size: newSize, in: txn), path)
        }
    }

    /// A read of the tree; a proof asked of sizes the tree does not have is
    /// the caller's mistake (`invalidRequest`), not a storage fault.
    private func treeRead<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        do {
            return try read(body)
        } catch MerkleError.outOfRange(let why) {
            throw EventStoreError.invalidRequest(why)
        }
    }

    private func requireTree() throws {
        guard hasMerkleTree else {
            throw EventStoreError.invalidRequest(
                "this log was written without a Merkle tree (a benchmark's log): it has no checkpoints or proofs")
        }
    }

    private func checkSize(_ size: UInt64, in txn: borrowing Transaction) throws {
        let head = try log.head(in: txn)
        guard size <= head else { throw EventStoreError.invalidRequest("the log holds \(head) events; there is no tree of \(size)") }
    }
}
