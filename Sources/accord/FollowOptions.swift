import AccordClient
import ArgumentParser
import Checkpoints
import CommandSupport
import EventStore
import Foundation
import Logging
import Registry
import Replication
import Server
import Transparency

/// `accord serve --follow`: run as a read-only replica of a primary.
struct FollowOptions: ParsableArguments {
    @Option(help: "Run as a read-only replica of the primary at HOST:PORT, copying and verifying its log.") var follow: String?
    @Option(help: "The primary's token for --follow, of role replica (default: $ACCORD_FOLLOW_TOKEN).") var followToken: String?
    @Option(help: "The verifier key the primary signs with (text or file); default: the key it shows first, then pinned.")
    var followKey: String?
    @Flag(help: "Reach the primary over TLS, trusting the system's roots (or --follow-tls-ca).") var followTls = false
    @Option(help: "Reach the primary over TLS, trusting this CA certificate (PEM).") var followTlsCa: String?
    @Option(help: "A client certificate (PEM) for a primary that requires one.") var followTlsCertificate: String?
    @Option(help: "The client certificate's private key (PEM).") var followTlsKey: String?
    @Option(help: "A replica further behind its primary than this many seconds is not ready (default 10).") var maxLag: Int?

    /// The follower for a replica's directory, or `nil` for a primary's.
    ///
    /// A directory holding `replica.json` is served only with `--follow`; a
    /// primary's directory with events never becomes a replica (its history
    /// would fork from the primary's); an empty one does.
    func follower(data: String, file: ServeConfiguration, store: EventStore, registry: Registry, logger: Logger) throws -> Follower? {
        let marker = try ReplicaMarker.load(from: data)
        guard let endpoint = follow ?? file.follow else {
            if let marker { throw Self.servedWithoutFollow(data: data, marker: marker) }
            return nil
        }
        guard marker != nil || store.head == 0 else { throw Self.primaryLog(data: data, head: store.head) }
        var updated = marker ?? ReplicaMarker(primary: endpoint)
        updated.primary = endpoint
        if updated != marker { try updated.save(in: data) }
        let lag = maxLag ?? file.maxLagSeconds ?? 10
        guard lag > 0 else { throw ValidationError("--max-lag must be at least 1 second") }
        var configuration = FollowerConfiguration(
            client: try client(endpoint, file: file), primary: endpoint, dataDirectory: data, trustedKey: try trustedKey(file: file))
        configuration.maxLag = .seconds(lag)
        return try Follower(
            configuration: configuration, store: store, registry: registry, checkpoints: try VerifiedCheckpoints(store: store),
            logger: logger)
    }

    static func servedWithoutFollow(data: String, marker: ReplicaMarker) -> CommandError {
        CommandError(
            """
            \(data) is a replica of \(marker.primary) (\(ReplicaMarker.fileName)): serve it with --follow \(marker.primary), \
            or make it a primary with accord promote --data \(data)
            """)
    }

    static func primaryLog(data: String, head: UInt64) -> CommandError {
        CommandError(
            """
            \(data) holds a primary's log of \(head) events; a replica starts from an empty data directory \
            (or a replica's, or a restored backup of the primary with its replica.json)
            """)
    }

    private func client(_ endpoint: String, file: ServeConfiguration) throws -> ClientConfiguration {
        let (host, port) = try Endpoint.parse(endpoint, option: "--follow")
        let ca = followTlsCa ?? file.followTlsCA
        let certificate = followTlsCertificate ?? file.followTlsCertificate
        let key = followTlsKey ?? file.followTlsKey
        guard (certificate == nil) == (key == nil) else {
            throw ValidationError("--follow-tls-certificate and --follow-tls-key go together")
        }
        let tls =
            followTls || file.followTls == true || ca != nil || certificate != nil
            ? try ServerTLS.clientContext(ca: ca, certificate: certificate, key: key) : nil
        return ClientConfiguration(
            host: host, port: port, tls: tls, token: followToken ?? ProcessInfo.processInfo.environment["ACCORD_FOLLOW_TOKEN"],
            clientName: "accord-replica", connectTimeout: .seconds(5), requestTimeout: .seconds(30))
    }

    private func trustedKey(file: ServeConfiguration) throws -> NoteVerifierKey? {
        guard let given = followKey ?? file.followKey else { return nil }
        return try SigningKeyLocation.verifiers([given], data: nil).first
    }
}
