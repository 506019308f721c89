import Merkle
import Testing

/// Every proof of every small tree, against a naive MTH written straight from RFC 6962.
///
/// Every bit of every proof hash is flipped for trees of up to
/// `everyBitUpTo` leaves; beyond that, a seeded sample of bits per hash, so
/// that the suite stays fast in a debug build (no optimisation flags).
struct ExhaustiveProofTests {
    static let size: UInt64 = 64
    static let everyBitUpTo: UInt64 = 12
    static let sampledBits = 6
    static let leaves = (0..<size).map { RFC6962.leafHash(Array("leaf \($0)".utf8)) }

    /// MTH(D[n]) by the RFC's recursive definition.
    static func naiveRoot(_ leaves: ArraySlice<TreeHash>) -> TreeHash {
        switch leaves.count {
        case 0: return RFC6962.emptyRoot
        case 1: return leaves.first!
        default:
            let k = Int(TreeShape.split(UInt64(leaves.count)))
            return RFC6962.nodeHash(naiveRoot(leaves.prefix(k)), naiveRoot(leaves.dropFirst(k)))
        }
    }

    static let roots = (0...size).map { naiveRoot(leaves.prefix(Int($0))) }

    @Test func rootsMatchTheDefinition() throws {
        var tree = StoredTree(leaves: [])
        for n in 1...Self.size {
            tree.append(Self.leaves[Int(n - 1)])
            #expect(tree.range.root == Self.roots[Int(n)])
            #expect(try tree.root(size: n) == Self.roots[Int(n)])
            #expect(UInt64(tree.nodes.count) == TreeShape.storedCount(size: n))
        }
    }

    @Test func everyInclusionProofVerifiesAndEveryBitFlipFails() throws {
        let builder = StoredTree(leaves: Self.leaves)
        for size in 1...Self.size {
            for index in 0..<size {
                let proof = try builder.inclusionProof(index: index, size: size)
                #expect(proof.count == ProofVerifier.inclusionProofLength(index: index, size: size))
                try ProofVerifier.verifyInclusion(
                    leaf: Self.leaves[Int(index)], index: index, size: size, proof: proof, root: Self.roots[Int(size)])
                let accepted = Self.bitFlips(proof.count, size: size, seed: index &* 131 &+ size).filter { i, bit in
                    var broken = proof
                    broken[i] = Self.flip(broken[i], bit: bit)
                    return
                        (try? ProofVerifier.verifyInclusion(
                            leaf: Self.leaves[Int(index)], index: index, size: size, proof: broken, root: Self.roots[Int(size)])) != nil
                }
                #expect(accepted.isEmpty, "leaf \(index) of \(size): flipped bits accepted: \(accepted)")
            }
        }
    }

    @Test func everyConsistencyProofVerifiesAndEveryBitFlipFails() throws {
        let builder = StoredTree(leaves: Self.leaves)
        for new in 1...Self.size {
            for old in 0...new {
                let proof = try builder.consistencyProof(oldSize: old, newSize: new)
                try ProofVerifier.verifyConsistency(
                    oldSize: old, newSize: new, oldRoot: Self.roots[Int(old)], newRoot: Self.roots[Int(new)], proof: proof)
                let accepted = Self.bitFlips(proof.count, size: new, seed: old &* 131 &+ new).filter { i, bit in
                    var broken = proof
                    broken[i] = Self.flip(broken[i], bit: bit)
                    return
                        (try? ProofVerifier.verifyConsistency(
                            oldSize: old, newSize: new, oldRoot: Self.roots[Int(old)], newRoot: Self.roots[Int(new)], proof: broken)) != nil
                }
                #expect(accepted.isEmpty, "\(old) → \(new): flipped bits accepted: \(accepted)")
            }
        }
    }

    @Test func storageIndexIsTheOrderOfCompletion() {
        var seen = 0
        var range = CompactRange()
        for leaf in Self.leaves {
            range.append(leaf) { level, index, _ in
                #expect(TreeShape.storageIndex(level: level, index: index) == UInt64(seen))
                seen += 1
            }
        }
    }

    /// The bits to flip in a proof of `count` hashes for a tree of `size`:
    /// every bit of every hash in small trees, else `sampledBits` per hash
    /// chosen by a generator seeded from the proof's sizes (repeatable).
    static func bitFlips(_ count: Int, size: UInt64, seed: UInt64) -> [(Int, Int)] {
        guard size > everyBitUpTo else { return (0..<count).flatMap { i in (0..<256).map { (i, $0) } } }
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 56)
        }
        return (0..<count).flatMap { i in (0..<sampledBits).map { _ in (i, next()) } }
    }

    static func flip(_ hash: TreeHash, bit: Int) -> TreeHash {
        var bytes = hash.bytes
        bytes[bit / 8] ^= 1 << (bit % 8)
        return TreeHash(bytes: bytes)!
    }
}
