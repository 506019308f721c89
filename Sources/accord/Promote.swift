import AccordClient
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
            with `accord key rotate --previous-key` before serving. Tokens: --tokens copies the old primary's token \
            file to DATA/tokens.json (mode 0600) so its clients keep authenticating; without it the replica's own \
            DATA/tokens.json is kept, and either way the command says which roles it admits.
            """)

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "Why, recorded in the event (e.g. \"primary host lost\").") var reason: String?
    @Option(help: "Where the promoted server will listen (HOST:PORT), told to the old primary when it is fenced.") var advertise: String?
    @Option(
        help: "A token the old primary accepts for fence, of role replica or admin (default: $ACCORD_FOLLOW_TOKEN, else $ACCORD_TOKEN).")
    var token: String?
    @Flag(help: "Do not try to reach the old primary to fence it (it is gone, or fenced by hand).") var noFence = false
    @Option(help: "The old primary's token file, copied to DATA/tokens.json so its clients keep authenticating.") var tokens: String?

    func run() async throws {
        let data = dataDirectory.data
        let lock = try DataDirectoryLock(directory: data, create: false)
        defer { withExtendedLifetime(lock) {} }
        guard let marker = try ReplicaMarker.load(from: data) else {
            throw CommandError("\(data) is not a replica's data directory (no \(ReplicaMarker.fileName)): nothing to promote")
        }
        // Checked before anything changes: a token file that does not load stops the promotion.
        let carried = try tokens.map { try TokenStore.load($0) }
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
        let tokenPath = data + "/tokens.json"
        if let carried { try carried.save(tokenPath) }
        let tokenReport = Self.describeTokens(try TokenStore.load(tokenPath), at: tokenPath, carriedFrom: tokens)
        let coverage =
            verified.map { "the last checkpoint verified from \(marker.primary) covers \($0.size) events" } ?? "no checkpoint was verified"
        FileHandle.standardError.write(
            Data(
                """
                promoted at position \(result.positions.lowerBound) (\(coverage)). Start it as the primary with \
                accord serve --data \(data), holding the log's checkpoint key (DATA/checkpoint.key or --checkpoint-key).

                """.utf8))
        let epoch = try Epoch.at(size: store.head, in: store)
        FileHandle.standardError.write(
            Data(("the log is now at epoch \(epoch). " + (await fenceOldPrimary(marker.primary, epoch: epoch)) + "\n").utf8))
        FileHandle.standardError.write(Data((tokenReport + "\n").utf8))
        print(result.positions.lowerBound)
    }

    /// What the promoted server's token file admits, and what is missing for a primary.
    static func describeTokens(_ store: TokenStore, at path: String, carriedFrom source: String?) -> String {
        guard !store.isEmpty else {
            return "tokens: \(path) holds none: the promoted server admits clients without tokens, on loopback only. "
                + "Give it the old primary's token file (accord promote --tokens FILE, or copy it, mode 0600) before clients return."
        }
        let roles = Dictionary(grouping: store.entries, by: \.role).mapValues(\.count)
        let listed = roles.keys.sorted().map { "\(roles[$0]!) \($0)" }.joined(separator: ", ")
        let origin = source.map { "copied from \($0) to \(path)" } ?? "kept \(path)"
        let missing =
            roles["writer"] == nil
            ? " No writer token: case systems cannot append until one is added (accord token create NAME --role writer, then SIGHUP)." : ""
        return "tokens: \(origin): \(listed).\(missing)"
    }

    /// Tells the old primary it was superseded, when it can be reached; says what happened either way.
    private func fenceOldPrimary(_ primary: String, epoch: UInt64) async -> String {
        guard !noFence else { return "The old primary \(primary) was not contacted (--no-fence): make sure it takes no writes." }
        let environment = ProcessInfo.processInfo.environment
        do {
            let (host, port) = try Endpoint.parse(primary, option: "--follow")
            var configuration = ClientConfiguration(
                host: host, port: port, token: token ?? environment["ACCORD_FOLLOW_TOKEN"] ?? environment["ACCORD_TOKEN"])
            configuration.reconnect = .never
            configuration.connectTimeout = .seconds(3)
            configuration.requestTimeout = .seconds(3)
            var members: [String: JSONValue] = ["epoch": .integer(Int64(epoch)), "reason": .string(reason ?? "promoted a replica")]
            if let advertise { members["primary"] = .string(advertise) }
            _ = try await AccordClient.connect(configuration) { [members] in try await $0.request("fence", members) }
            return "Fenced the old primary \(primary): it takes no more writes, restarts included."
        } catch {
            return """
                Could not fence the old primary \(primary) (\(error)). Keep it from taking writes: stop it, or start every \
                server of the deployment with --peer naming the others, so it fences itself (ops/replication.md).
                """
        }
    }
}
