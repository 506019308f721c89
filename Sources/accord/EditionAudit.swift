import AccordClient
import AccordCore
import AccordJSON
import Checkpoints
import Editions
import EventStore
import Foundation
import Merkle
import Transparency

/// `accord verify --edition DIR`: that a published edition is intact, covers
/// a checkpoint signed by the key given, was put on the record (an
/// `EditionPublished` in `$editions` naming its manifest's hash, included
/// in the log's current signed checkpoint), and that the log has only grown
/// since. Other editions recorded for the same size are reported: an
/// edition is never replaced silently.
struct EditionAudit {
    typealias Check = OnlineAudit.Check

    let folder: EditionDirectory
    let keys: [NoteVerifierKey]

    /// What the edition states, and the checks on the files alone.
    struct Stated {
        var checkpoint: Checkpoint
        var manifestSHA256: String
    }

    func checkFiles(into checks: inout [Check]) throws -> Stated? {
        let bytes = try folder.manifest()
        let manifest = try JSONParser.parse(bytes)
        var changed: [String] = []
        let files = manifest["files"]?.arrayValue ?? []
        for entry in files {
            guard let path = entry["path"]?.stringValue, let expected = entry["sha256"]?.stringValue else { continue }
            let data = FileManager.default.contents(atPath: (folder.path as NSString).appendingPathComponent(path))
            let actual = data.map(Edition.sha256Hex)
            if actual != expected { changed.append(data == nil ? "\(path) (missing)" : path) }
        }
        checks.append(
            Check(
                name: "files", passed: changed.isEmpty,
                detail: changed.isEmpty
                    ? "all \(files.count) files have the SHA-256 edition.json gives"
                    : "changed since published: \(changed.joined(separator: ", "))"))
        guard let text = manifest["checkpoint"]?.stringValue else {
            checks.append(Check(name: "checkpoint", passed: false, detail: "edition.json holds no checkpoint"))
            return nil
        }
        for key in keys {
            guard let signed = try? SignedCheckpoint(text: text, verifiedBy: key) else { continue }
            let covered = signed.checkpoint
            let agrees = manifest["treeSize"]?.int64Value == Int64(covered.size) && manifest["root"]?.stringValue == covered.root.base64
            checks.append(
                Check(
                    name: "checkpoint", passed: agrees,
                    detail: agrees
                        ? "\(covered.size) events, root \(covered.root.base64), signed by \(key.text)"
                        : "edition.json's size and root are not its signed checkpoint's"))
            return agrees ? Stated(checkpoint: covered, manifestSHA256: Edition.sha256Hex(bytes)) : nil
        }
        checks.append(Check(name: "checkpoint", passed: false, detail: "the edition's checkpoint is not signed by the key given"))
        return nil
    }

    /// Against a server: the record's inclusion in the current checkpoint, and consistency.
    func online(_ client: AccordClient) async throws -> [Check] {
        var checks: [Check] = []
        guard let stated = try checkFiles(into: &checks) else { return checks }
        let head = try await client.checkpoint()
        guard let current = keys.lazy.compactMap({ try? SignedCheckpoint(text: head.text, verifiedBy: $0) }).first?.checkpoint else {
            checks.append(
                Check(name: "current checkpoint", passed: false, detail: "the server's checkpoint is not signed by the key given"))
            return checks
        }
        var records: [RecordedEvent] = []
        var from: Int64 = 0
        while true {
            let page = try await client.request("read_all", ["from": .integer(from), "limit": 1_000, "types": ["EditionPublished"]])
            let events = try (page["events"]?.arrayValue ?? []).map { try RecordedEvent(json: $0) }
            records += events.filter { $0.stream.rawValue == "$editions" && $0.position < current.size }
            guard let next = page["next"]?.int64Value, !events.isEmpty else { break }
            from = next
        }
        await check("consistency", into: &checks) {
            try await client.verifyConsistency(old: (stated.checkpoint.size, stated.checkpoint.root), new: (current.size, current.root))
            return "the log of \(current.size) events extends the edition's \(stated.checkpoint.size)"
        }
        let mine = try records.filter { try Self.describes($0, stated) }
        guard let record = mine.first else {
            checks.append(Self.notRecorded(stated, current: current.size))
            return checks
        }
        await check("on the record", into: &checks) {
            try await client.verifyInclusion(of: record, in: (current.size, current.root))
            return
                "EditionPublished at position \(record.position) by \(record.principal ?? "?"), included in the checkpoint of \(current.size) events"
        }
        checks += try Self.others(records, stated)
        return checks
    }

    /// Against a data directory: the record in the log and under its newest verified checkpoint.
    func offline(_ store: EventStore) throws -> [Check] {
        var checks: [Check] = []
        guard let stated = try checkFiles(into: &checks) else { return checks }
        let chain = try KeyChain(store: store)
        return try store.read { txn in
            let (latest, problem, _) = try OfflineAudit(store: store).checkLatestCheckpoint(
                keys: keys, chain: chain, logSize: try store.log.head(in: txn), in: txn)
            guard let latest, problem == nil else {
                checks.append(Check(name: "current checkpoint", passed: false, detail: problem ?? "no signed checkpoint is stored"))
                return checks
            }
            let root = stated.checkpoint.size <= latest.size ? try store.log.root(size: stated.checkpoint.size, in: txn) : nil
            checks.append(
                Check(
                    name: "consistency", passed: root == stated.checkpoint.root,
                    detail: root == stated.checkpoint.root
                        ? "the log's first \(stated.checkpoint.size) events still hash to the edition's root"
                        : "the log at \(stated.checkpoint.size) events is not the edition's: a fork or a rewritten history"))
            var records: [RecordedEvent] = []
            try store.log.scan(types: ["EditionPublished"], in: txn) { event in
                if event.stream.rawValue == "$editions", event.position < latest.size { records.append(event) }
                return true
            }
            guard let record = try records.first(where: { try Self.describes($0, stated) }) else {
                checks.append(Self.notRecorded(stated, current: latest.size))
                return checks
            }
            checks.append(
                Check(
                    name: "on the record", passed: true,
                    detail:
                        "EditionPublished at position \(record.position) by \(record.principal ?? "?"), under the signed checkpoint of \(latest.size) events"
                ))
            return checks + (try Self.others(records, stated))
        }
    }

    private func check(_ name: String, into checks: inout [Check], _ body: () async throws -> String) async {
        do {
            checks.append(Check(name: name, passed: true, detail: try await body()))
        } catch {
            checks.append(Check(name: name, passed: false, detail: "\(error)"))
        }
    }

    static func describes(_ event: RecordedEvent, _ stated: Stated) throws -> Bool {
        let data = try event.data.value()
        return data["manifestSha256"]?.stringValue == stated.manifestSHA256
            && data["treeSize"]?.int64Value == Int64(stated.checkpoint.size) && data["root"]?.stringValue == stated.checkpoint.root.base64
    }

    static func notRecorded(_ stated: Stated, current: UInt64) -> Check {
        Check(
            name: "on the record", passed: false,
            detail: "no EditionPublished in $editions names this edition.json (SHA-256 \(stated.manifestSHA256)) "
                + "within the checkpoint of \(current) events: it was published offline, or it is not the edition that was issued")
    }

    /// Other editions recorded for the same size: never a failure by
    /// itself (a republished edition is on the record), always reported.
    static func others(_ records: [RecordedEvent], _ stated: Stated) throws -> [Check] {
        try records.filter { record in
            let data = try record.data.value()
            return data["treeSize"]?.int64Value == Int64(stated.checkpoint.size)
                && data["manifestSha256"]?.stringValue != stated.manifestSHA256
        }.map { record in
            let hash = (try? record.data.value())?["manifestSha256"]?.stringValue ?? "?"
            return Check(
                name: "another edition", passed: true,
                detail:
                    "position \(record.position) records another edition of \(stated.checkpoint.size) events (edition.json SHA-256 \(hash))"
            )
        }
    }
}
