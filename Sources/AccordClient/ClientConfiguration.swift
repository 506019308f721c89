import NIOSSL

/// Where and how a client connects. Every value has a default that suits a
/// case system on the same network as the server.
public struct ClientConfiguration: Sendable {
    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// TLS for the connection when set (`TLSConfiguration.makeClientConfiguration`); plain TCP otherwise.
    public var tls: NIOSSLContext?
    /// The name the server's certificate must carry; by default `host` unless it is an address.
    public var serverHostname: String?
    /// A bearer token (`acc_…`) for servers that require one; sent in `hello` on every (re)connection.
    public var token: String?
    /// The connection's name on a server without tokens (`hello`'s `client`).
    public var clientName: String
    /// Without a token, connect to a server that requires one anyway, for its
    /// public operations only (`checkpoint`, the proofs, `gateways`); by
    /// default connecting without a token to such a server fails at once.
    public var anonymous = false
    /// How long connecting (TCP, TLS, the info line and `hello`) may take.
    public var connectTimeout: Duration
    /// How long one request may wait for its response; `nil` for no limit
    /// (subscriptions and watches are never timed out once started).
    public var requestTimeout: Duration?
    /// The longest line accepted from the server.
    public var maxLineBytes: Int
    /// Whether and how to reconnect when the connection drops.
    public var reconnect: ReconnectPolicy
    /// Lines buffered for a subscription or watch the application has not
    /// taken yet; beyond it the client stops reading from the socket (so the
    /// server pauses the stream) until the application catches up.
    public var pushBufferLines: Int
    /// Told of each drop, failed attempt and reconnection (on the client's
    /// own task: keep it short, such as a line on standard error).
    public var reconnectObserver: (@Sendable (ReconnectEvent) -> Void)?

    public init(
        host: String = "127.0.0.1", port: Int = 7411, tls: NIOSSLContext? = nil, token: String? = nil,
        clientName: String = "accord-swift", connectTimeout: Duration = .seconds(5), requestTimeout: Duration? = .seconds(30),
        maxLineBytes: Int = 256 << 20, reconnect: ReconnectPolicy = .never, pushBufferLines: Int = 4_096
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.token = token
        self.clientName = clientName
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxLineBytes = maxLineBytes
        self.reconnect = reconnect
        self.pushBufferLines = pushBufferLines
    }

    /// Parses `HOST:PORT` (`[::1]:7411` for IPv6) into a configuration.
    public init(endpoint: String) throws(ClientError) {
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]),
            (1...65_535).contains(port)
        else {
            throw .usage("a server is HOST:PORT, such as 127.0.0.1:7411; got \"\(endpoint)\"")
        }
        var host = String(endpoint[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .usage("a server is HOST:PORT, such as 127.0.0.1:7411; got \"\(endpoint)\"") }
        self.init(host: host, port: port)
    }

    /// The name to check the server's certificate against (SNI), if any.
    var tlsServerName: String? {
        if let serverHostname { return serverHostname }
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        return isAddress ? nil : host
    }
}
