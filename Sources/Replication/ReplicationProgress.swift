import AccordCore
import AccordJSON
import Checkpoints

/// Where a replica stands: its lifecycle, what it knows of the primary's
/// head, and what it has verified. Kept behind the follower's one mutex.
struct ReplicationProgress: Sendable {
    enum Lifecycle: Sendable, Equatable {
        /// Connecting, or verifying the primary before copying.
        case connecting
        /// Copying events the primary had before the subscription caught up.
        case catchingUp
        /// Level with the primary, copying each commit as it comes.
        case following
        /// The primary cannot be reached; retrying.
        case disconnected(String)
        /// Stopped for good (a mismatch, a wrong configuration): needs an operator.
        case stopped(String)

        var isStopped: Bool {
            if case .stopped = self { true } else { false }
        }

        var name: String {
            switch self {
            case .connecting: "connecting"
            case .catchingUp: "catching_up"
            case .following: "following"
            case .disconnected: "disconnected"
            case .stopped: "stopped"
            }
        }
    }

    /// `replica.json` as last read or written: the primary, and the origin and key once learned.
    var marker: ReplicaMarker
    var lifecycle = Lifecycle.connecting
    /// The newest head the primary has shown (checkpoints, `caught_up`, events).
    var primaryHead: Position = 0
    /// When the replica last had nothing left to copy; `nil` before its first catch-up.
    var levelAt: ContinuousClock.Instant?
    /// The newest checkpoint whose root equals this replica's at its size.
    var verified: Checkpoint?
    /// A newer signed checkpoint, consistent with `verified`, waiting for the copy to reach its size.
    var pending: (checkpoint: SignedCheckpoint, key: NoteVerifierKey)?
    var eventsCopied: UInt64 = 0

    func lagSeconds(now: ContinuousClock.Instant, head: Position) -> Double {
        guard let levelAt else { return .infinity }
        if lifecycle == .following, head >= primaryHead { return 0 }
        let elapsed = now - levelAt
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `health`'s `replication` member.
    func health(primary: String, head: Position, maxLag: Duration, now: ContinuousClock.Instant) -> JSONValue {
        let lag = lagSeconds(now: now, head: head)
        let bound = Double(maxLag.components.seconds) + Double(maxLag.components.attoseconds) / 1e18
        var problem: String?
        switch lifecycle {
        case .stopped(let why): problem = "replication stopped: \(why)"
        case .disconnected(let why): problem = "the primary \(primary) cannot be reached: \(why)"
        case .connecting, .catchingUp, .following:
            if lag > bound {
                problem = levelAt == nil ? "catching up with the primary for the first time" : "more than \(bound) s behind the primary"
            }
        }
        var members: JSONObject = [
            "primary": .string(primary), "state": .string(lifecycle.name), "head": .integer(Int64(head)),
            "primaryHead": .integer(Int64(max(primaryHead, head))),
            "lagPositions": .integer(Int64(primaryHead > head ? primaryHead - head : 0)),
            "lagSeconds": lag.isFinite ? .double((lag * 1_000).rounded() / 1_000) : .null, "maxLagSeconds": .double(bound),
            "ready": .bool(!lifecycle.isStopped && lag <= bound),
            "eventsCopied": .integer(Int64(eventsCopied)),
            "verified": verified.map { ["treeSize": .integer(Int64($0.size)), "root": .string($0.root.base64)] } ?? .null,
        ]
        if let problem { _ = members.updateValue(.string(problem), forKey: "problem") }
        return .object(members)
    }
}
