/// Builds RFC 6962 inclusion and consistency proofs from stored complete subtrees.
///
/// Every hash in a proof is either a complete subtree or the fold of a few of
/// them (`TreeShape.peaks`), so a proof costs O(log² n) lookups in the worst
/// case and never reads the log itself. The stored subtrees come from a
/// closure that lives only for the call (a storage read transaction, say).
public enum ProofBuilder {
    /// Returns the stored hash of the complete subtree `(level, index)`.
    public typealias Subtree = (_ level: Int, _ index: UInt64) throws -> TreeHash

    /// MTH of leaves `begin..<end` (a range from RFC 6962's recursion).
    public static func rangeHash(_ begin: UInt64, _ end: UInt64, subtree: Subtree) throws -> TreeHash {
        let peaks = TreeShape.peaks(from: begin, to: end)
        guard let last = peaks.last else { return RFC6962.emptyRoot }
        var hash = try subtree(last.level, last.index)
        for peak in peaks.dropLast().reversed() { hash = RFC6962.nodeHash(try subtree(peak.level, peak.index), hash) }
        return hash
    }

    /// The root of the tree's first `size` leaves.
    public static func root(size: UInt64, subtree: Subtree) throws -> TreeHash {
        try rangeHash(0, size, subtree: subtree)
    }

    /// PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf `index` in the
    /// tree of the first `size` leaves, from the leaf's sibling upwards.
    public static func inclusionProof(index: UInt64, size: UInt64, subtree: Subtree) throws -> [TreeHash] {
        guard index < size else { throw MerkleError.outOfRange("leaf \(index) is not in a tree of \(size) leaves") }
        var proof: [TreeHash] = []
        try path(index, 0, size, into: &proof, subtree: subtree)
        return proof
    }

    /// PROOF(m, D[n]) of RFC 6962 §2.1.2: shows that the tree of the first
    /// `oldSize` leaves is a prefix of the tree of the first `newSize`.
    /// Empty when `oldSize` is 0 or equals `newSize`.
    public static func consistencyProof(oldSize: UInt64, newSize: UInt64, subtree: Subtree) throws -> [TreeHash] {
        guard oldSize <= newSize else {
            throw MerkleError.outOfRange("a tree of \(oldSize) leaves cannot be a prefix of one of \(newSize)")
        }
        guard oldSize > 0, oldSize < newSize else { return [] }
        var proof: [TreeHash] = []
        try subproof(oldSize, 0, newSize, complete: true, into: &proof, subtree: subtree)
        return proof
    }

    private static func path(_ m: UInt64, _ begin: UInt64, _ end: UInt64, into out: inout [TreeHash], subtree: Subtree) throws {
        let n = end - begin
        guard n > 1 else { return }
        let k = TreeShape.split(n)
        if m < k {
            try path(m, begin, begin + k, into: &out, subtree: subtree)
            out.append(try rangeHash(begin + k, end, subtree: subtree))
        } else {
            try path(m - k, begin + k, end, into: &out, subtree: subtree)
            out.append(try rangeHash(begin, begin + k, subtree: subtree))
        }
    }

    private static func subproof(
        _ m: UInt64, _ begin: UInt64, _ end: UInt64, complete: Bool, into out: inout [TreeHash], subtree: Subtree
    ) throws {
        let n = end - begin
        if m == n {
            if !complete { out.append(try rangeHash(begin, end, subtree: subtree)) }
            return
        }
        let k = TreeShape.split(n)
        if m <= k {
            try subproof(m, begin, begin + k, complete: complete, into: &out, subtree: subtree)
            out.append(try rangeHash(begin + k, end, subtree: subtree))
        } else {
            try subproof(m - k, begin + k, end, complete: false, into: &out, subtree: subtree)
            out.append(try rangeHash(begin, begin + k, subtree: subtree))
        }
    }
}
