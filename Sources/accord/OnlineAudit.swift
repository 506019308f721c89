import AccordClient
import AccordCore
import AccordJSON
import Checkpoints
import Merkle

/// An auditor's checks against a running server, trusting nothing it says
/// that a proof does not back: the checkpoint's signature, the consistency of
/// an earlier checkpoint with it, and the inclusion of chosen events, each
/// recomputed from the event as sent.
struct OnlineAudit {
    struct Results: Sendable {
        var lines: [String] = []
        var passed = true
        var checkpointText: String?
    }

    let client: AccordClient
    let key: NoteVerifierKey

    func run(previous: Checkpoint?, events: [UInt64]) async throws -> Results {
        var results = Results()
        func check(_ what: String, _ body: () async throws -> String) async {
            do {
                results.lines.append("ok      \(what): \(try await body())")
            } catch {
                results.passed = false
                results.lines.append("FAILED  \(what): \(error)")
            }
        }
        let text = try await client.checkpoint().text
        guard let current = try? SignedCheckpoint(text: text, verifiedBy: key).checkpoint else {
            results.passed = false
            results.lines.append("FAILED  checkpoint: the server's checkpoint does not verify with key \(key.name)")
            return results
        }
        results.checkpointText = text
        results.lines.append(
            "ok      checkpoint: \(current.origin) at \(current.size) events, root \(current.root.base64), signature verified")
        if let previous {
            await check("consistency \(previous.size) → \(current.size)") {
                try await client.verifyConsistency(old: (previous.size, previous.root), new: (current.size, current.root))
                return "the earlier log is a prefix of the current one"
            }
        }
        for position in events {
            await check("event \(position)") {
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
}
