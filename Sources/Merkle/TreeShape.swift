/// Where things are in a Merkle tree built by appending leaves, RFC 6962 style.
///
/// A *complete subtree* is identified by its level (0 for a leaf) and its index
/// at that level: `(level, index)` covers leaves `index << level ..< (index + 1) << level`.
/// A tree of any size is the sequence of its *peaks*: the complete subtrees
/// given by the set bits of the size, largest first.
public enum TreeShape {
    /// The largest power of two strictly less than `n` (RFC 6962's split point `k`); `n` ≥ 2.
    public static func split(_ n: UInt64) -> UInt64 {
        precondition(n >= 2)
        return 1 << (63 - (n - 1).leadingZeroBitCount)
    }

    /// The complete subtrees that make up leaves `begin..<end`, left to right.
    ///
    /// Valid for the ranges that RFC 6962's recursion produces: `begin` is a
    /// multiple of a power of two at least `end - begin` (always true for `0..<n`).
    public static func peaks(from begin: UInt64, to end: UInt64) -> [(level: Int, index: UInt64)] {
        var result: [(level: Int, index: UInt64)] = []
        var start = begin
        var remaining = end - begin
        while remaining > 0 {
            let level = 63 - remaining.leadingZeroBitCount
            result.append((level, start >> level))
            start += 1 << level
            remaining -= 1 << level
        }
        return result
    }

    /// The order in which the subtree `(level, index)` is completed when leaves
    /// are appended one by one and each completed subtree is numbered from 0
    /// (a post-order numbering). Storing subtrees under this number makes every
    /// write an append at the end of the database.
    public static func storageIndex(level: Int, index: UInt64) -> UInt64 {
        let leaves = (index + 1) << level
        let completed = 2 * leaves - UInt64(leaves.nonzeroBitCount)
        return completed - 1 - UInt64(leaves.trailingZeroBitCount - level)
    }

    /// How many complete subtrees a tree of `size` leaves has: 2n − popcount(n).
    public static func storedCount(size: UInt64) -> UInt64 {
        2 * size - UInt64(size.nonzeroBitCount)
    }
}
