import AccordCore
import AccordJSON
import Agreements
import Checkpoints
import EventStore
import LMDB
import Merkle
import Registry
import Transparency

/// The whole store checked in one read snapshot: the log's structure and
/// tree (`LogChecker`), the newest signed checkpoint against the tree, and
/// every projection table against a fresh fold of the log (digests per
/// table, and what differs). What `accord check` runs, offline and online.
public struct StoreCheck: Sendable {
    public struct Report: Sendable {
        public var events: UInt64
        public var root: TreeHash
        public var log: [LogChecker.Problem]
        public var checkpoint: Checkpoint?
        /// `nil` when the checkpoint verified, or when no key was given (`checkpointChecked` false).
        public var checkpointProblem: String?
        public var checkpointChecked: Bool
        public var tables: [Registry.TableCheck]
        /// Agreements with an event this build cannot fold (they answer as damaged).
        public var agreements: [String: AgreementDamage]

        /// Whether anything is damaged: the log, the checkpoint, a projection or an agreement.
        public var isDamaged: Bool {
            !log.isEmpty || checkpointProblem != nil || tables.contains { !$0.matches } || !agreements.isEmpty
        }

        /// Every damaged position, agreement or table, one sentence each.
        public var findings: [String] {
            log.map { "log: \($0.description)" } + (checkpointProblem.map { ["checkpoint: \($0)"] } ?? [])
                + tables.filter { !$0.matches }.flatMap { table in
                    table.differences.isEmpty
                        ? ["projection \(table.table): its digest differs from a fresh fold of the log"]
                        : table.differences.map { "projection \(table.table): \($0)" }
                }
                + agreements.sorted { $0.key < $1.key }.map {
                    "agreement \($0.key): damaged at position \($0.value.position): \($0.value.reason)"
                }
        }

        public var json: JSONValue {
            var members: JSONObject = [
                "damaged": .bool(isDamaged), "events": .integer(Int64(events)), "root": .string(root.base64),
                "log": .array(
                    log.map { problem in
                        var item: JSONObject = ["problem": .string(problem.description)]
                        if let position = problem.position { item["position"] = .integer(Int64(position)) }
                        if let stream = problem.stream { item["stream"] = .string(stream) }
                        return .object(item)
                    }),
                "tables": .array(
                    tables.map { table in
                        [
                            "table": .string(table.table), "matches": .bool(table.matches), "storedDigest": .string(table.storedDigest),
                            "foldedDigest": .string(table.foldedDigest), "differences": .array(table.differences.map { .string($0) }),
                        ]
                    }),
                "agreements": .array(
                    agreements.sorted { $0.key < $1.key }.map { id, damage in
                        ["agreementId": .string(id), "position": .integer(Int64(damage.position)), "reason": .string(damage.reason)]
                    }),
                "findings": .array(findings.map { .string($0) }),
            ]
            var checkpointMembers: JSONObject = ["checked": .bool(checkpointChecked)]
            if let checkpoint { checkpointMembers["size"] = .integer(Int64(checkpoint.size)) }
            if let checkpointProblem { checkpointMembers["problem"] = .string(checkpointProblem) }
            members["checkpoint"] = .object(checkpointMembers)
            return .object(members)
        }
    }

    let store: EventStore
    let registry: Registry

    public init(store: EventStore, registry: Registry) {
        self.store = store
        self.registry = registry
    }

    /// Runs every check; `keys` verify the checkpoint (none: it is reported unchecked).
    public func run(keys: [NoteVerifierKey]) throws -> Report {
        let chain = try KeyChain(store: store)
        return try store.read { txn in
            var checker = LogChecker(store: store)
            try checker.finish(in: txn)
            var report = Report(
                events: checker.next, root: checker.root, log: checker.problems, checkpoint: nil, checkpointProblem: nil,
                checkpointChecked: !keys.isEmpty, tables: [], agreements: [:])
            if checker.problems.isEmpty {
                if keys.isEmpty {
                    report.checkpoint = try Checkpointer.latestStored(in: store.environment).flatMap {
                        try? SignedCheckpoint.unverified(text: $0)
                    }
                } else {
                    (report.checkpoint, report.checkpointProblem, _) = try OfflineAudit(store: store).checkLatestCheckpoint(
                        keys: keys, chain: chain, logSize: checker.next, in: txn)
                }
            }
            // A damaged log is not folded: its scan would stop at the damage.
            guard checker.problems.isEmpty else { return report }
            let folded = try registry.fold(store, in: txn)
            report.tables = try registry.check(against: folded, in: txn)
            report.agreements = folded.damaged
            return report
        }
    }
}
