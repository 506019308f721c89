/// Why a proof could not be built or did not verify.
public enum MerkleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A leaf index or tree size outside what the tree holds.
    case outOfRange(String)
    /// The proof has the wrong number of hashes for its sizes.
    case wrongProofLength(expected: Int, actual: Int)
    /// The proof's hashes do not lead to the expected root.
    case rootMismatch(expected: TreeHash, computed: TreeHash)
    /// A stored subtree the proof needed is missing.
    case missingNode(level: Int, index: UInt64)

    public var description: String {
        switch self {
        case .outOfRange(let why): why
        case .wrongProofLength(let expected, let actual): "the proof has \(actual) hashes; these sizes need \(expected)"
        case .rootMismatch(let expected, let computed): "the proof leads to root \(computed.base64), not \(expected.base64)"
        case .missingNode(let level, let index): "the tree has no stored subtree at level \(level), index \(index)"
        }
    }
}
