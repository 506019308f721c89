import AccordCore
import AccordJSON
import Merkle

/// A signed tree head as the server gives it; check `text`'s signature with
/// the operator's published verifier key (the Checkpoints module, or any
/// C2SP signed-note library) before trusting `root`.
public struct SignedTreeHead: Sendable, Hashable {
    /// The signed note (C2SP tlog-checkpoint).
    public var text: String
    public var origin: String
    public var treeSize: UInt64
    public var root: TreeHash
    /// The verifier key the server says it signs with.
    public var key: String
    /// Every signing-key rotation the log recorded (`$keys`), oldest first:
    /// prove each included, then follow the keys from the one you trust
    /// (protocol/transparency.md#key-rotation).
    public var keyRotations: [RecordedEvent] = []
}
