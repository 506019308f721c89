import AccordCore
import AccordJSON
import Merkle

/// An RFC 6962 audit path with the leaf and the root it leads to.
public struct InclusionProof: Sendable, Hashable {
    public var position: Position
    public var treeSize: UInt64
    public var leafHash: TreeHash
    public var root: TreeHash
    public var path: [TreeHash]
}
