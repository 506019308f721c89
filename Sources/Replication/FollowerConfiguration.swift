import AccordClient
import Checkpoints

/// How a replica follows its primary.
public struct FollowerConfiguration: Sendable {
    /// The primary's HOST:PORT, token (role `replica`) and TLS.
    public var client: ClientConfiguration
    /// The primary as the operator named it, for messages and `read_only`.
    public var primary: String
    /// The data directory, where `replica.json` lives.
    public var dataDirectory: String
    /// The key the primary's checkpoints must be signed by (or a key it
    /// endorsed); `nil` trusts the key the primary shows on first contact
    /// and pins it in `replica.json`.
    public var trustedKey: NoteVerifierKey?
    /// Behind by more than this, the replica is not ready (`/readyz`).
    public var maxLag: Duration = .seconds(10)
    /// How often the primary's signed checkpoint is fetched and checked.
    public var verifyInterval: Duration = .seconds(1)
    /// Events copied in one commit at most.
    public var batchEvents = 8_192
    /// How long an audited read may wait for the primary and for its record to come back.
    public var auditTimeout: Duration = .seconds(5)

    public init(client: ClientConfiguration, primary: String, dataDirectory: String, trustedKey: NoteVerifierKey? = nil) {
        self.client = client
        self.primary = primary
        self.dataDirectory = dataDirectory
        self.trustedKey = trustedKey
    }
}
