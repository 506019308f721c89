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
            guard let text = try Checkpointer.latestStored(in: store.environment) else {
                report.checkpointProblem =
                    log.size == 0 ? nil : "no signed checkpoint is stored; the server stores one every few seconds while it runs"
                return report
            }
            guard !keys.isEmpty else {
                report.checkpointProblem = "no verifier key given (--key, or the data directory's checkpoint.key)"
                return report
            }
            let trust = chain.trust(startingFrom: keys)
            report.keyNotes = trust.notes
            if let problem = trust.problem {
                report.checkpointProblem = problem
                return report
            }
            do {
                let (signed, _) = try chain.verify(text, trust: trust, given: keys)
                let size = signed.checkpoint.size
                report.checkpoint = signed.checkpoint
                guard size <= log.size else {
                    report.checkpointProblem = "the checkpoint covers \(size) events but the log holds \(log.size): events were removed"
                    return report
                }
                let root = try store.log.root(size: size, in: txn)
                if root != signed.checkpoint.root {
                    report.checkpointProblem =
                        "the signed root for \(size) events is \(signed.checkpoint.root.base64) but the log's is \(root.base64)"
                }
            } catch {
                report.checkpointProblem = "\(error)"
            }
            return report
        }
    }
}
