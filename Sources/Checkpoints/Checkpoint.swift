import Foundation
import Merkle

/// A tree head in the C2SP `tlog-checkpoint` format: the log's origin, its
/// size and its root hash, and Accord's one extension line, the log's epoch
/// (1 plus the promotions the covered events record). Its text form is the
/// body of a signed note:
///
/// ```
/// <origin>\n
/// <tree size, decimal>\n
/// <root hash, standard base64>\n
/// epoch <epoch, decimal>\n
/// ```
///
/// Checkpoints signed before epochs have no epoch line; they are of epoch 1.
public struct Checkpoint: Sendable, Equatable {
    /// Names the log; a verifier checks it so that a checkpoint of one log is
    /// never taken for another's.
    public var origin: String
    public var size: UInt64
    public var root: TreeHash
    /// The log's epoch at `size`; `nil` in a checkpoint signed before epochs (read as 1).
    public var epoch: UInt64?

    public init(origin: String, size: UInt64, root: TreeHash, epoch: UInt64? = nil) {
        self.origin = origin
        self.size = size
        self.root = root
        self.epoch = epoch
    }

    /// The epoch, 1 when the checkpoint predates epochs.
    public var effectiveEpoch: UInt64 { epoch ?? 1 }

    /// The note body: three lines and the epoch line, each ending in a newline.
    public var body: String { "\(origin)\n\(size)\n\(root.base64)\n" + (epoch.map { "epoch \($0)\n" } ?? "") }

    /// Parses a note body: extension lines after the third are allowed; an `epoch N` line is read, others ignored.
    public init(body: String) throws {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard body.hasSuffix("\n"), lines.count >= 4, !lines[0].isEmpty else {
            throw CheckpointError.malformedNote("a checkpoint is an origin line, a tree size line and a base64 root hash line")
        }
        guard let size = UInt64(lines[1]), String(size) == lines[1] else {
            throw CheckpointError.malformedNote("the checkpoint's second line must be the tree size in decimal, not \(lines[1])")
        }
        guard let root = TreeHash(base64: String(lines[2])) else {
            throw CheckpointError.malformedNote("the checkpoint's third line must be a base64 SHA-256 hash")
        }
        let epoch = lines.dropFirst(3).lazy.compactMap { line -> UInt64? in
            guard line.hasPrefix("epoch "), let value = UInt64(line.dropFirst(6)), value > 0 else { return nil }
            return value
        }.first
        self.init(origin: String(lines[0]), size: size, root: root, epoch: epoch)
    }
}
