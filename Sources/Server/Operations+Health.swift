import AccordCore
import AccordJSON
import EventStore
import Foundation
import LMDB

extension Operations {
    /// `health`: whether the store can take appends, how much room the map and
    /// the disk have left, and how long ago the last commit was.
    ///
    /// `status` is `damaged` when the store is known to be damaged (a check
    /// at start, the scrub, an admin's `check` or a read found it; each
    /// finding is in `problems`), `failing` when appends are refused (storage
    /// full since the last commit, fenced, closing; on a replica: when the
    /// store cannot take the copy, or replication stopped on a mismatch),
    /// `degraded` when less than 10% of the room the store can use is left
    /// (the map's maximum, or what the disk can still hold, whichever is
    /// less), or less than 1 GiB of disk or a replica has a problem (behind its bound, primary
    /// unreachable) or an agreement is damaged (named in `problems`, counted
    /// in `damagedAgreements`), else `ok`. A replica adds `replication`.
    /// Whether appends are taken now: the store is open for them, this
    /// server is not fenced, and storage was not full at the last commit.
    var acceptsAppends: Bool {
        store.isAcceptingAppends && fence.current == nil && store.storageRefusals.spell == nil
    }

    func health(now: Timestamp = .now()) throws -> JSONValue {
        let env = store.environment
        let info = env.info()
        let maxBytes = env.options.maxMapSize
        var disk = statvfs()
        let freeBytes = statvfs(env.path, &disk) == 0 ? Int64(disk.f_bavail) * Int64(disk.f_frsize) : -1
        let room = StorageRoom(used: info.bytesUsed, fileBytes: env.dataFileBytes, maxBytes: maxBytes, diskFree: freeBytes)
        let headroom = room.headroom
        let refusals = store.storageRefusals.spell
        let lastCommit = try store.lastCommitAt()
        var problems: [JSONValue] = []
        // A replica's store takes the copy; its clients never write.
        let fenced = fence.current
        let accepting = acceptsAppends
        let writable = accepting && primary == nil
        if let fenced {
            problems.append(
                .string(
                    "fenced: a newer primary (epoch \(fenced.epoch)\(fenced.primary.map { " at \($0)" } ?? "")) took over on \(fenced.at); this server takes no writes"
                ))
        }
        if !store.isAcceptingAppends { problems.append("the store is not accepting appends (shutting down or read-only)") }
        if let refusals {
            problems.append(.string("appends are refused: \(refusals.reason) (\(refusals.refused) refused since the last commit)"))
        }
        if headroom < 0.1 { problems.append(.string(room.problem)) }
        if freeBytes >= 0, freeBytes < 1 << 30 { problems.append(.string("less than 1 GiB of disk is free (\(freeBytes) bytes)")) }
        let damaged = try store.read { try registry.damagedAgreements(in: $0) }
        if !damaged.isEmpty {
            let named = damaged.sorted { $0.key < $1.key }.prefix(10).map { "\($0.key) (position \($0.value.position))" }
            problems.append(
                .string(
                    "\(damaged.count) agreement\(damaged.count == 1 ? " is" : "s are") damaged (an event this build cannot fold): "
                        + named.joined(separator: ", ") + (damaged.count > 10 ? ", …" : "")))
        }
        let replication = primary?.replicationHealth()
        if let problem = replication?["problem"]?.stringValue { problems.append(.string(problem)) }
        let stopped = replication?["state"] == "stopped"
        let findings = damage.findings
        for finding in findings.prefix(10) { problems.append(.string("damaged: \(finding)")) }
        if findings.count > 10 { problems.append(.string("damaged: \(findings.count - 10) more findings (accord check lists them all)")) }
        let status = !findings.isEmpty ? "damaged" : !accepting || stopped ? "failing" : problems.isEmpty ? "ok" : "degraded"
        var answer: JSONObject = [
            "status": .string(status), "writable": .bool(writable), "head": .integer(Int64(store.head)),
            "lastCommitAt": lastCommit.map { .string($0.rfc3339) } ?? .null,
            "lastCommitAgeSeconds": lastCommit.map { .double(Double(now.microseconds - $0.microseconds) / 1_000_000) } ?? .null,
            "map": [
                "usedBytes": .integer(Int64(info.bytesUsed)), "sizeBytes": .integer(Int64(info.mapSize)),
                "maxBytes": .integer(Int64(maxBytes)), "headroom": .double((headroom * 1_000).rounded() / 1_000),
                "limitBytes": .integer(Int64(room.limit)), "limitedBy": .string(room.limitedByDisk ? "disk" : "map"),
            ],
            "storageFullRefusals": .integer(Int64(store.storageRefusals.total)),
            "diskFreeBytes": .integer(freeBytes), "problems": .array(problems),
            "damagedAgreements": .integer(Int64(damaged.count)), "epoch": .integer(Int64(fence.epoch)),
        ]
        if let replication { _ = answer.updateValue(replication, forKey: "replication") }
        return .object(answer)
    }
}
