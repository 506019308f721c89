import Checkpoints
import EventStore
import Foundation
import LMDB
import Merkle

/// `accord verify` over a data directory or a backup: recomputes the tree
/// from the events, then checks the latest stored checkpoint's signature, by
/// the key in effect at its size (following `KeyChain` from the keys given),
/// and that its root is the recomputed tree's root at its size.
public struct OfflineAudit {
    public struct Report: Sendable {
        public var log: LogVerifier.Report
        /// The latest stored checkpoint, when one was checked.
        public var checkpoint: Checkpoint?
        /// What is wrong with the checkpoint, if anything.
        public var checkpointProblem: String?
        /// How the signing keys changed, one sentence per rotation.
        public var keyNotes: [String] = []

        public var passed: Bool { log.problem == nil && checkpointProblem == nil }
    }

    let store: EventStore

    public init(store: EventStore) {
        self.store = store
    }

    /// Runs the audit in one read snapshot. Without keys the checkpoint is
    /// reported as unchecked rather than passed.
    public func run(keys: [NoteVerifierKey], progress: (UInt64) -> Void = { _ in }) throws -> Report {
        let chain = try KeyChain(store: store)
        return try store.read { txn in
            let log = try LogVerifier(store: store).verify(in: txn, progress: progress)
            var report = Report(log: log)
            guard log.problem == nil else { return report }
            (report.checkpoint, report.checkpointProblem, report.keyNotes) = try checkLatestCheckpoint(
                keys: keys, chain: chain, logSize: log.size, in: txn)
            return report
        }
    }

    /// Checks the latest stored checkpoint against a log of `logSize`
    /// events whose tree was verified: its signature by the key in effect at
    /// its size, and its root against the tree's. Returns the checkpoint,
    /// what is wrong (or `nil`), and one sentence per key rotation.
    public func checkLatestCheckpoint(
        keys: [NoteVerifierKey], chain: KeyChain, logSize: UInt64, in txn: borrowing Transaction
    ) throws -> (Checkpoint?, String?, [String]) {
        guard let text = try Checkpointer.latestStored(in: store.environment) else {
            let problem = logSize == 0 ? nil : "no signed checkpoint is stored; the server stores one every few seconds while it runs"
            return (nil, problem, [])
        }
        guard !keys.isEmpty else { return (nil, "no verifier key given (--key, or the data directory's checkpoint.key)", []) }
        let trust = chain.trust(startingFrom: keys)
        if let problem = trust.problem { return (nil, problem, trust.notes) }
        do {
            let (signed, _) = try chain.verify(text, trust: trust, given: keys)
            let size = signed.checkpoint.size
            guard size <= logSize else {
                return (
                    signed.checkpoint, "the checkpoint covers \(size) events but the log holds \(logSize): events were removed", trust.notes
                )
            }
            let root = try store.log.root(size: size, in: txn)
            guard root == signed.checkpoint.root else {
                return (
                    signed.checkpoint,
                    "the signed root for \(size) events is \(signed.checkpoint.root.base64) but the log's is \(root.base64)",
                    trust.notes
                )
            }
            return (signed.checkpoint, nil, trust.notes)
        } catch {
            return (nil, "\(error)", trust.notes)
        }
    }
}
