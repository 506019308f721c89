import Merkle
import Testing

/// Known answers from the transparency-dev/merkle repository
/// (`rfc6962/rfc6962_test.go`, `proof/verify_test.go`).
struct KnownAnswerTests {
    static func h(_ hex: String) -> TreeHash { TreeHash(hex: hex)! }

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    /// The eight leaves of the reference tree.
    static let leaves: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(
        bytes)

    /// Roots of the trees of the first 1…8 leaves.
    static let roots: [TreeHash] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(h)

    /// (1-based leaf, size, path).
    static let inclusionProofs: [(UInt64, UInt64, [TreeHash])] = [
        (1, 1, []),
        (
            1, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ].map(h)
        ),
        (
            6, 8,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ].map(h)
        ),
        (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"].map(h)),
        (
            2, 5,
            [
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ].map(h)
        ),
    ]

    static let consistencyProofs: [(UInt64, UInt64, [TreeHash])] = [
        (1, 1, []),
        (
            1, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ].map(h)
        ),
        (
            6, 8,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ].map(h)
        ),
        (
            2, 5,
            [
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ].map(h)
        ),
        (
            6, 7,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ].map(h)
        ),
    ]

    @Test func hashingRules() {
        #expect(RFC6962.emptyRoot == Self.h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(RFC6962.leafHash([]) == Self.h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"))
        #expect(RFC6962.leafHash(Array("L123456".utf8)) == Self.h("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"))
        #expect(
            RFC6962.nodeHash(rawLeft: Array("N123".utf8), rawRight: Array("N456".utf8))
                == Self.h("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"))
    }

    @Test func rootsOfTheFirstEightTrees() throws {
        var range = CompactRange()
        for (size, leaf) in Self.leaves.enumerated() {
            range.append(RFC6962.leafHash(leaf)) { _, _, _ in }
            #expect(range.root == Self.roots[size], "size \(size + 1)")
        }
        #expect(CompactRange().root == RFC6962.emptyRoot)
    }

    @Test func referenceInclusionProofsAreBuiltAndVerify() throws {
        let tree = StoredTree(leaves: Self.leaves.map { RFC6962.leafHash($0) })
        for (leaf, size, path) in Self.inclusionProofs {
            #expect(try tree.inclusionProof(index: leaf - 1, size: size) == path)
            try ProofVerifier.verifyInclusion(
                leaf: RFC6962.leafHash(Self.leaves[Int(leaf - 1)]), index: leaf - 1, size: size, proof: path,
                root: Self.roots[Int(size - 1)])
        }
    }

    @Test func referenceConsistencyProofsAreBuiltAndVerify() throws {
        let tree = StoredTree(leaves: Self.leaves.map { RFC6962.leafHash($0) })
        for (old, new, proof) in Self.consistencyProofs {
            #expect(try tree.consistencyProof(oldSize: old, newSize: new) == proof)
            try ProofVerifier.verifyConsistency(
                oldSize: old, newSize: new, oldRoot: Self.roots[Int(old - 1)], newRoot: Self.roots[Int(new - 1)], proof: proof)
        }
    }

    /// The reference suite's corrupted inclusion probes: each must fail.
    @Test func brokenInclusionProofsFail() throws {
        let some = Self.h("abacaba000000000000000000000000000000000000000000060061e00123456")
        for (leaf, size, proof) in Self.inclusionProofs.dropFirst() {
            let index = leaf - 1
            let root = Self.roots[Int(size - 1)]
            let hash = RFC6962.leafHash(Self.leaves[Int(index)])
            var probes: [(UInt64, UInt64, TreeHash, TreeHash, [TreeHash])] = [
                (index &- 1, size, root, hash, proof), (index + 1, size, root, hash, proof), (index ^ 2, size, root, hash, proof),
                (index, size * 2, root, hash, proof), (index, size / 2, root, hash, proof),
                (index, size, root, RFC6962.leafHash(Array("WrongLeaf".utf8)), proof),
                (index, size, RFC6962.emptyRoot, hash, proof), (index, size, some, hash, proof),
                (index, size, root, hash, proof + [root]), (index, size, root, hash, [root] + proof),
            ]
            if !proof.isEmpty { probes.append((index, size, root, hash, Array(proof.dropLast()))) }
            if proof.count > 1 { probes.append((index, size, root, hash, [proof[0], some] + proof.dropFirst())) }
            for probe in probes {
                #expect(throws: MerkleError.self) {
                    try ProofVerifier.verifyInclusion(leaf: probe.3, index: probe.0, size: probe.1, proof: probe.4, root: probe.2)
                }
            }
        }
    }

    /// The reference suite's corrupted consistency probes and edge cases.
    @Test func brokenConsistencyProofsFail() throws {
        for (old, new, proof) in Self.consistencyProofs where !proof.isEmpty {
            let root1 = Self.roots[Int(old - 1)]
            let root2 = Self.roots[Int(new - 1)]
            let wrong = RFC6962.leafHash(Array("WrongRoot".utf8))
            var probes: [(UInt64, UInt64, TreeHash, TreeHash, [TreeHash])] = [
                (old - 1, new, root1, root2, proof), (old + 1, new, root1, root2, proof), (old ^ 2, new, root1, root2, proof),
                (old, new * 2, root1, root2, proof), (old, new / 2, root1, root2, proof),
                (old, new, wrong, root2, proof), (old, new, root1, wrong, proof), (old, new, root2, root1, proof),
                (old, new, root1, root2, []), (old, new, root1, root2, proof + [root1]), (old, new, root1, root2, proof + [root2]),
                (old, new, root1, root2, [root1] + proof), (old, new, root1, root2, [root2] + proof),
                (old, new, root1, root2, [proof[0]] + proof), (old, new, root1, root2, Array(proof.dropLast())),
            ]
            probes.removeAll { $0.0 == 0 && $0.4.isEmpty }  // size 0 is consistent with anything
            for probe in probes {
                #expect(throws: MerkleError.self, "\(probe.0)→\(probe.1)") {
                    try ProofVerifier.verifyConsistency(
                        oldSize: probe.0, newSize: probe.1, oldRoot: probe.2, newRoot: probe.3, proof: probe.4)
                }
            }
        }
        let a = RFC6962.leafHash([1])
        let b = RFC6962.leafHash([2])
        #expect(throws: MerkleError.self) { try ProofVerifier.verifyConsistency(oldSize: 0, newSize: 0, oldRoot: a, newRoot: b, proof: []) }
        #expect(throws: MerkleError.self) { try ProofVerifier.verifyConsistency(oldSize: 1, newSize: 1, oldRoot: a, newRoot: b, proof: []) }
        #expect(throws: MerkleError.self) { try ProofVerifier.verifyConsistency(oldSize: 1, newSize: 0, oldRoot: a, newRoot: b, proof: []) }
        #expect(throws: MerkleError.self) { try ProofVerifier.verifyConsistency(oldSize: 2, newSize: 1, oldRoot: a, newRoot: b, proof: []) }
        #expect(throws: MerkleError.self) { try ProofVerifier.verifyConsistency(oldSize: 1, newSize: 2, oldRoot: a, newRoot: b, proof: []) }
        #expect(throws: MerkleError.self) {
            try ProofVerifier.verifyConsistency(oldSize: 1, newSize: 1, oldRoot: a, newRoot: a, proof: [a])
        }
        #expect(throws: MerkleError.self) {
            try ProofVerifier.verifyConsistency(oldSize: 0, newSize: 1, oldRoot: a, newRoot: a, proof: [a])
        }
        try ProofVerifier.verifyConsistency(oldSize: 0, newSize: 1, oldRoot: a, newRoot: b, proof: [])
        try ProofVerifier.verifyConsistency(oldSize: 0, newSize: 0, oldRoot: a, newRoot: a, proof: [])
        try ProofVerifier.verifyConsistency(oldSize: 1, newSize: 1, oldRoot: b, newRoot: b, proof: [])
    }
}

/// A tree held in memory the way the store holds it: every complete subtree
/// under its storage index, written as a `CompactRange` reports them.
struct StoredTree {
    var nodes: [UInt64: TreeHash] = [:]
    var range = CompactRange()

    init(leaves: [TreeHash]) {
        for leaf in leaves { append(leaf) }
    }

    mutating func append(_ leaf: TreeHash) {
        range.append(leaf) { level, index, hash in
            let key = TreeShape.storageIndex(level: level, index: index)
            precondition(key == UInt64(nodes.count), "subtrees complete in storage order")
            nodes[key] = hash
        }
    }

    func subtree(level: Int, index: UInt64) throws -> TreeHash {
        guard let hash = nodes[TreeShape.storageIndex(level: level, index: index)] else {
            throw MerkleError.missingNode(level: level, index: index)
        }
        return hash
    }

    func root(size: UInt64) throws -> TreeHash {
        try ProofBuilder.root(size: size, subtree: subtree)
    }

    func inclusionProof(index: UInt64, size: UInt64) throws -> [TreeHash] {
        try ProofBuilder.inclusionProof(index: index, size: size, subtree: subtree)
    }

    func consistencyProof(oldSize: UInt64, newSize: UInt64) throws -> [TreeHash] {
        try ProofBuilder.consistencyProof(oldSize: oldSize, newSize: newSize, subtree: subtree)
    }
}

@Suite struct TreeHashTextTests {
    @Test func base64IsFoundationsWithoutAString() {
        for n in 0..<200 {
            let hash = RFC6962.leafHash(Array("leaf \(n)".utf8))
            var bytes: [UInt8] = []
            hash.appendBase64(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == hash.base64)
        }
    }
}
