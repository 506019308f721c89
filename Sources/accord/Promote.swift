import AccordCore
import AccordJSON
import ArgumentParser
import Checkpoints
import CommandSupport
import EventStore
import Foundation
import Replication
import Server
import Transparency

struct Promote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a replica's data directory a primary's (with the replica stopped).",
        discussion: """
            Records a replica_promoted event in $replication (the former primary, the head, the last checkpoint \
            verified from it) and removes replica.json, so `accord serve --data DIR` starts it as a primary taking \
            appends at its head. Fence the old primary first: it must never take writes again (ops/replication.md). \
            The new primary signs with the log's checkpoint key: give it the old primary's checkpoint.key, or rotate \
            with `accord key rotate --previous-key` before serving.
            """)

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "Why, recorded in the event (e.g. \"primary host lost\").") var reason: String?

    func run() async throws {
        let data = dataDirectory.data
        let lock = try DataDirectoryLock(directory: data, create: false)
        defer { withExtendedLifetime(lock) {} }
        guard let marker = try ReplicaMarker.load(from: data) else {
            throw CommandError("\(data) is not a replica's data directory (no \(ReplicaMarker.fileName)): nothing to promote")
        }
        let (store, _) = try dataDirectory.openForWriting(lock: lock)
        defer { store.close() }
        let latest = try Checkpointer.latestStored(in: store.environment)
        let verified = try latest.map { try SignedCheckpoint.unverified(text: $0) }
        var members: [String: JSONValue] = [
            "formerPrimary": .string(marker.primary), "head": .integer(Int64(store.head)),
            "lastVerifiedCheckpoint": latest.map { .string($0) } ?? .null,
        ]
        if let origin = marker.origin { members["origin"] = .string(origin) }
        if let reason { members["reason"] = .string(reason) }
        let event = NewEvent(
            eventId: UUID.timeOrdered(), type: ReplicaPromotion.eventType, data: try CanonicalJSON(.object(JSONObject(members))))
        let result = try await store.append(to: ReplicaPromotion.stream, events: [event], principal: "accord promote")
        try ReplicaMarker.remove(from: data)
        let coverage =
            verified.map { "the last checkpoint verified from \(marker.primary) covers \($0.size) events" } ?? "no checkpoint was verified"
        FileHandle.standardError.write(
            Data(
                """
                promoted at position \(result.positions.lowerBound) (\(coverage)). Start it as the primary with \
                accord serve --data \(data), holding the log's checkpoint key (DATA/checkpoint.key or --checkpoint-key).

                """.utf8))
        print(result.positions.lowerBound)
    }
}
