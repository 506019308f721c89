import AccordClient
import AccordCore
import AccordJSON
import Checkpoints
import Merkle
import Transparency

/// An auditor's checks against a running server, trusting nothing it says
/// that a proof does not back: the checkpoint's signature by the key in
/// effect (following the log's key rotations from the keys given), the
/// consistency of an earlier checkpoint with it, and the inclusion of chosen
/// events and of every key rotation, each recomputed from the event as sent.
///
/// Only a proof that does not verify is a failed check. A server that cannot
/// be reached or will not answer (`forbidden`, `unauthenticated`) throws: no
/// answer is not evidence of tampering.
struct OnlineAudit {
    struct Check: Sendable {
        var name: String
        var passed: Bool
        var detail: String

        var json: JSONValue { .object(["check": .string(name), "passed": .bool(passed), "detail": .string(detail)]) }

        /// The line `accord verify` prints for it.
        var line: String { "\(passed ? "ok    " : "FAILED")  \(name): \(detail)" }
    }

    struct Results: Sendable {
        var checks: [Check] = []
        var checkpointText: String?
        var checkpoint: Checkpoint?
        var passed: Bool { checks.allSatisfy(\.passed) }

        var json: JSONValue {
            .object([
                "passed": .bool(passed),
                "checkpoint": checkpoint.map {
                    .object(["origin": .string($0.origin), "treeSize": .integer(Int64($0.size)), "root": .string($0.root.base64)])
                } ?? .null,
                "checks": .array(checks.map(\.json)),
            ])
        }
    }

    let client: AccordClient
    let keys: [NoteVerifierKey]
    /// Fetch every event and recompute the tree over them (`accord verify --full`).
    var full = false

    func run(previous: String?, events: [UInt64]) async throws -> Results {
        var results = Results()
        func check(_ name: String, _ body: () async throws -> String) async throws {
            do {
                results.checks.append(Check(name: name, passed: true, detail: try await body()))
            } catch let error as ClientError where error.exitStatus != .checkFailed {
                throw error
            } catch {
                results.checks.append(Check(name: name, passed: false, detail: "\(error)"))
            }
        }
        let head = try await client.checkpoint()
        let chain = try KeyChain(events: head.keyRotations)
        let trust = chain.trust(startingFrom: keys)
        for note in trust.notes { results.checks.append(Check(name: "key", passed: true, detail: note)) }
        if let problem = trust.problem {
            results.checks.append(Check(name: "keys", passed: false, detail: problem))
            return results
        }
        guard let current = verify(head.text, chain: chain, trust: trust, into: &results, name: "checkpoint") else { return results }
        results.checkpointText = head.text
        results.checkpoint = current
        for rotation in head.keyRotations {
            try await check("key rotation at \(rotation.position)") {
                try await client.verifyInclusion(of: rotation, in: (current.size, current.root))
                return "recorded in the log, unchanged"
            }
        }
        if let previous {
            guard let old = verify(previous, chain: chain, trust: trust, into: &results, name: "saved checkpoint") else {
                return results
            }
            try await check("consistency \(old.size) → \(current.size)") {
                // Two checkpoints that cannot both be true are a fork: name both epochs.
                let fork =
                    "a fork: the saved checkpoint (epoch \(old.effectiveEpoch), \(old.size) events, root \(old.root.base64)) "
                    + "and the server's (epoch \(current.effectiveEpoch), \(current.size) events, root \(current.root.base64)) cannot both be true"
                if old.size > current.size { throw AuditFailure("\(fork): the server's log is shorter than one it signed") }
                if old.size == current.size, old.root != current.root { throw AuditFailure("\(fork): one size, two roots") }
                do {
                    try await client.verifyConsistency(old: (old.size, old.root), new: (current.size, current.root))
                } catch let error as ClientError where error.exitStatus != .checkFailed {
                    throw error
                } catch {
                    throw AuditFailure("\(fork): the earlier tree is not a prefix of the current one (\(error))")
                }
                return "the earlier log is a prefix of the current one"
                    + (old.effectiveEpoch != current.effectiveEpoch
                        ? " (epoch \(old.effectiveEpoch) → \(current.effectiveEpoch): a promotion)" : "")
            }
        }
        if full {
            try await check("every event") { try await verifyEveryEvent(against: current) }
        }
        for position in events {
            try await check("event \(position)") {
                let read = try await client.request("read_all", ["from": .integer(Int64(position)), "limit": 1])
                guard let json = read["events"]?.arrayValue?.first, json["position"] == .integer(Int64(position)) else {
                    throw AuditFailure("the server did not return event \(position)")
                }
                let event = try RecordedEvent(json: json)
                try await client.verifyInclusion(of: event, in: (current.size, current.root))
                return "\(event.type) on \(event.stream) is included, unchanged"
            }
        }
        return results
    }

    /// Fetches the checkpoint's events page by page, checks that their
    /// positions are dense, and recomputes the tree's root over them: every
    /// event the checkpoint covers is as it was signed.
    private func verifyEveryEvent(against checkpoint: Checkpoint) async throws -> String {
        var tree = CompactRange()
        var next: UInt64 = 0
        while next < checkpoint.size {
            let page = try await client.request("read_all", ["from": .integer(Int64(next)), "limit": 1_000])
            let events = page["events"]?.arrayValue ?? []
            guard !events.isEmpty else { throw AuditFailure("the server returned no event at position \(next)") }
            for json in events where next < checkpoint.size {
                let event = try RecordedEvent(json: json)
                guard event.position == next else {
                    throw AuditFailure("the server returned position \(event.position) where \(next) should be")
                }
                tree.append(RFC6962.leafHash(event.jsonBytes)) { _, _, _ in }
                next += 1
            }
        }
        guard tree.root == checkpoint.root else {
            throw AuditFailure("the \(checkpoint.size) events the server returned hash to \(tree.root.base64), not the signed root")
        }
        return "all \(checkpoint.size) events fetched, hashed and found to make the signed root"
    }

    /// Checks a signed note's signature by the key in effect at its size, recording the check.
    private func verify(_ text: String, chain: KeyChain, trust: KeyChain.Trust, into results: inout Results, name: String) -> Checkpoint? {
        do {
            let (signed, key) = try chain.verify(text, trust: trust, given: keys)
            let checkpoint = signed.checkpoint
            results.checks.append(
                Check(
                    name: name, passed: true,
                    detail: "\(checkpoint.origin) at \(checkpoint.size) events, root \(checkpoint.root.base64), signed by \(key.text)"))
            return checkpoint
        } catch {
            results.checks.append(Check(name: name, passed: false, detail: "\(error)"))
            return nil
        }
    }
}
