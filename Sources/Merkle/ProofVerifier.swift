/// Checks RFC 6962 proofs with the algorithms of RFC 9162 §2.1.3.2 and
/// §2.1.4.2. Needs nothing but the hashes: auditors run it offline.
public enum ProofVerifier {
    /// The root that `proof` leads to from `leaf` at `index` in a tree of `size`.
    public static func rootFromInclusionProof(leaf: TreeHash, index: UInt64, size: UInt64, proof: [TreeHash]) throws -> TreeHash {
        guard index < size else { throw MerkleError.outOfRange("leaf \(index) is not in a tree of \(size) leaves") }
        let expected = inclusionProofLength(index: index, size: size)
        guard proof.count == expected else { throw MerkleError.wrongProofLength(expected: expected, actual: proof.count) }
        var fn = index
        var sn = size - 1
        var hash = leaf
        for sibling in proof {
            if fn & 1 == 1 || fn == sn {
                hash = RFC6962.nodeHash(sibling, hash)
                climbPastRightEdge(&fn, &sn)
            } else {
                hash = RFC6962.nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return hash
    }

    /// Throws unless `proof` shows `leaf` at `index` in the tree of `size` with `root`.
    public static func verifyInclusion(leaf: TreeHash, index: UInt64, size: UInt64, proof: [TreeHash], root: TreeHash) throws {
        let computed = try rootFromInclusionProof(leaf: leaf, index: index, size: size, proof: proof)
        guard computed == root else { throw MerkleError.rootMismatch(expected: root, computed: computed) }
    }

    /// Throws unless `proof` shows that the tree of `oldSize` with `oldRoot` is
    /// a prefix of the tree of `newSize` with `newRoot`.
    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: TreeHash, newRoot: TreeHash, proof: [TreeHash]
    ) throws {
        guard oldSize <= newSize else {
            throw MerkleError.outOfRange("a tree of \(oldSize) leaves cannot be a prefix of one of \(newSize)")
        }
        if oldSize == newSize {
            guard proof.isEmpty else { throw MerkleError.wrongProofLength(expected: 0, actual: proof.count) }
            guard oldRoot == newRoot else { throw MerkleError.rootMismatch(expected: newRoot, computed: oldRoot) }
            return
        }
        if oldSize == 0 {
            guard proof.isEmpty else { throw MerkleError.wrongProofLength(expected: 0, actual: proof.count) }
            return
        }
        let expected = consistencyProofLength(oldSize: oldSize, newSize: newSize)
        guard proof.count == expected else { throw MerkleError.wrongProofLength(expected: expected, actual: proof.count) }
        var path = proof[...]
        if oldSize.nonzeroBitCount == 1 { path = [oldRoot] + path }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldHash = path.first!
        var newHash = oldHash
        for node in path.dropFirst() {
            guard sn != 0 else { throw MerkleError.wrongProofLength(expected: expected, actual: proof.count) }
            if fn & 1 == 1 || fn == sn {
                oldHash = RFC6962.nodeHash(node, oldHash)
                newHash = RFC6962.nodeHash(node, newHash)
                climbPastRightEdge(&fn, &sn)
            } else {
                newHash = RFC6962.nodeHash(newHash, node)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw MerkleError.wrongProofLength(expected: expected, actual: proof.count) }
        guard oldHash == oldRoot else { throw MerkleError.rootMismatch(expected: oldRoot, computed: oldHash) }
        guard newHash == newRoot else { throw MerkleError.rootMismatch(expected: newRoot, computed: newHash) }
    }

    /// The number of hashes in the audit path of leaf `index` in a tree of `size`.
    public static func inclusionProofLength(index: UInt64, size: UInt64) -> Int {
        let inner = innerProofSize(index: index, size: size)
        return inner + ((index >> inner).nonzeroBitCount)
    }

    /// The number of hashes in a consistency proof between two non-empty, different sizes.
    public static func consistencyProofLength(oldSize: UInt64, newSize: UInt64) -> Int {
        let inner = innerProofSize(index: oldSize - 1, size: newSize)
        let shift = oldSize.trailingZeroBitCount
        let border = ((oldSize - 1) >> inner).nonzeroBitCount
        let start = oldSize.nonzeroBitCount == 1 ? 0 : 1
        return start + inner - shift + border
    }

    /// RFC 9162's "if LSB(fn) is not set, right-shift both fn and sn equally
    /// until either LSB(fn) is set or fn is 0": skips the levels where the
    /// node is the last one of an incomplete tree and has no sibling.
    private static func climbPastRightEdge(_ fn: inout UInt64, _ sn: inout UInt64) {
        while fn & 1 == 0, fn != 0 {
            fn >>= 1
            sn >>= 1
        }
    }

    /// Bits below the point where the paths to `index` and to `size - 1` diverge.
    private static func innerProofSize(index: UInt64, size: UInt64) -> Int {
        64 - (index ^ (size - 1)).leadingZeroBitCount
    }
}
