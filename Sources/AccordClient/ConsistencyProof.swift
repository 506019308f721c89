import AccordCore
import AccordJSON
import Merkle

/// An RFC 6962 consistency proof with both roots.
public struct ConsistencyProof: Sendable, Hashable {
    public var oldSize: UInt64
    public var newSize: UInt64
    public var oldRoot: TreeHash
    public var newRoot: TreeHash
    public var path: [TreeHash]
}
