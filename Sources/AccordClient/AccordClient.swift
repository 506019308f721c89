import AccordCore
import AccordJSON
import NIOCore
import NIOSSL
import Synchronization
import WireProtocol

/// A client of an Accord server: requests with async/await (pipelined, from
/// any number of tasks), subscriptions and watches as `AsyncSequence`s, and
/// reconnection that resumes subscriptions where they stopped.
///
/// Structured: `AccordClient.connect(configuration) { client in … }` connects,
/// runs the body, and closes everything when it returns; the client must not
/// be used after that. Depends on SwiftNIO, AccordJSON, Merkle and AccordCore
/// only, never on the storage layers.
public final class AccordClient: Sendable {
    public let configuration: ClientConfiguration
    private struct State {
        var connection: ClientConnection?
        /// Settled with the next connection while reconnecting.
        var reconnected = Eventual<ClientConnection>()
        var streams: [ObjectIdentifier: any ResumableStream] = [:]
        var ended: ClientError?
        var hello: JSONValue = .null
    }

    private let state = Mutex(State())
    /// Pushed lines that belong to no subscription or watch this client
    /// started (raw tools), in arrival order.
    public let pushes: AsyncStream<JSONValue>
    private let pushQueue: AsyncStream<JSONValue>.Continuation

    private init(configuration: ClientConfiguration) {
        self.configuration = configuration
        (pushes, pushQueue) = AsyncStream.makeStream()
    }

    /// Connects (and authenticates with `hello` unless told not to), runs
    /// `body` with the client, and closes the connection when it returns.
    public static func connect<R: Sendable>(
        _ configuration: ClientConfiguration, hello: Bool = true, _ body: @Sendable (AccordClient) async throws -> R
    ) async throws -> R {
        let client = AccordClient(configuration: configuration)
        let first = try await client.open(hello: hello)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.supervise(first, hello: hello) }
            defer {
                client.end(.connectionLost(serverSaid: "the client closed the connection"))
                group.cancelAll()
            }
            return try await body(client)
        }
    }

    /// Connects to `host:port` without `hello` or reconnection: for tests and
    /// tools that speak the protocol line by line.
    public static func connect<R: Sendable>(
        host: String = "127.0.0.1", port: Int = 7411, maxLineBytes: Int = 256 << 20, tls: NIOSSLContext? = nil,
        _ body: @Sendable (AccordClient) async throws -> R
    ) async throws -> R {
        let configuration = ClientConfiguration(
            host: host, port: port, tls: tls, connectTimeout: .seconds(60), requestTimeout: nil, maxLineBytes: maxLineBytes)
        return try await connect(configuration, hello: false, body)
    }

    /// The server's info line (the `info` object) of the current connection.
    public var info: JSONValue { state.withLock { $0.connection?.info.result.flatMap { try? $0.get() } } ?? .null }

    /// What `hello` answered: the principal and role.
    public var identity: JSONValue { state.withLock { $0.hello } }

    /// Sends one command, typed as the server decodes it, and returns its `result`.
    /// - Throws: `ClientError.server` for `"ok": false`, `.connectionLost` or `.timedOut`.
    @discardableResult
    public func send(_ command: Command) async throws -> JSONValue {
        try await connection().request(command, timeout: configuration.requestTimeout)
    }

    /// Sends one request by its operation's name and members (tools that
    /// pass members through, and tests of what the server refuses) and
    /// returns its `result`; `send` is the typed way.
    /// - Throws: as `send`.
    @discardableResult
    public func request(_ op: String, _ members: [String: JSONValue] = [:]) async throws -> JSONValue {
        try await connection().request(op, JSONObject(members), timeout: configuration.requestTimeout)
    }

    /// Sends one request and returns its whole response line, not parsed:
    /// for answers too large to be worth a tree (`read_records`).
    /// - Throws: as `request`, parsing only a failure's line.
    public func requestLine(_ op: String, _ members: [String: JSONValue] = [:]) async throws -> [UInt8] {
        let line = Mutex<[UInt8]>([])
        _ = try await connection().request(
            op, JSONObject(members), timeout: configuration.requestTimeout, whole: { bytes in line.withLock { $0 = bytes } })
        return line.withLock { $0 }
    }

    /// Writes raw bytes on the current connection (for testing malformed input).
    public func send(raw bytes: [UInt8]) async throws {
        try await connection().send(raw: bytes)
    }

    // MARK: Connections

    /// The current connection, waiting for a reconnection in progress.
    func connection() async throws -> ClientConnection {
        let (current, waiting, ended) = state.withLock { ($0.connection, $0.reconnected, $0.ended) }
        if let ended { throw ended }
        if let current, !current.closed.isResolved { return current }
        guard configuration.reconnect != .never else { throw ClientError.connectionLost(serverSaid: nil) }
        return try await waiting.value()
    }

    /// Starts a stream request on the current connection; `onSuccess` runs on
    /// its event loop with the result, before any later line.
    func startStream(
        _ command: Command, on connection: ClientConnection, onSuccess: @escaping ClientConnection.OnSuccess
    ) async throws -> JSONValue {
        try await connection.request(command, timeout: configuration.requestTimeout, onSuccess: onSuccess)
    }

    func track(_ stream: any ResumableStream) {
        state.withLock { $0.streams[ObjectIdentifier(stream)] = stream }
    }

    func untrack(_ stream: any ResumableStream) {
        _ = state.withLock { $0.streams.removeValue(forKey: ObjectIdentifier(stream)) }
    }

    private func open(hello: Bool) async throws -> ClientConnection {
        let connection = try await ClientConnection.open(configuration) { [pushQueue] in pushQueue.yield($0) }
        do {
            if hello { try await authenticate(connection) }
        } catch {
            connection.close()
            throw error
        }
        state.withLock { $0.connection = connection }
        return connection
    }

    private func authenticate(_ connection: ClientConnection) async throws {
        let required = try await connection.info.value()["authRequired"] == .bool(true)
        var hello = Command.hello(token: nil, client: configuration.clientName)
        if required {
            guard let token = configuration.token else {
                // Public operations (the checkpoint and proofs) need no hello.
                if configuration.anonymous { return }
                throw ClientError.server(
                    code: .unauthenticated, message: "this server requires a token (--token or ACCORD_TOKEN)", error: .null)
            }
            hello = .hello(token: token, client: nil)
        }
        let answer = try await connection.request(hello, timeout: configuration.connectTimeout)
        state.withLock { $0.hello = answer }
    }

    /// Waits for each connection to close; reconnects as the policy says and
    /// resumes the streams; ends the client when it may not reconnect.
    private func supervise(_ first: ClientConnection, hello: Bool) async {
        var connection = first
        while !Task.isCancelled {
            guard var reason = try? await connection.closed.value() else { break }
            let observe = configuration.reconnectObserver
            let policy = configuration.reconnect
            guard !reason.isPermanent, policy.maximumAttempts != 0 else {
                if policy.maximumAttempts != 0 { observe?(.gaveUp(reason: reason)) }
                return end(reason)
            }
            var attempt = 0
            var next: ClientConnection?
            var delay = policy.delay(attempt: 0)
            observe?(.dropped(reason: reason, retryIn: delay))
            while next == nil, !Task.isCancelled, attempt < (policy.maximumAttempts ?? .max) {
                guard (try? await Task.sleep(for: delay)) != nil else { break }
                attempt += 1
                do {
                    next = try await open(hello: hello)
                } catch {
                    let failure = error as? ClientError ?? .connectFailed("\(error)")
                    reason = failure
                    if failure.isPermanent { break }
                    delay = policy.delay(attempt: attempt)
                    observe?(.attemptFailed(attempt: attempt, error: failure, retryIn: delay))
                }
            }
            guard let next else {
                if !Task.isCancelled { observe?(.gaveUp(reason: reason)) }
                return end(reason)
            }
            observe?(.reconnected(attempts: attempt))
            connection = next
            let (waiting, streams) = state.withLock { state in
                defer { state.reconnected = Eventual() }
                return (state.reconnected, Array(state.streams.values))
            }
            waiting.succeed(next)
            for stream in streams { await stream.resume(on: next) }
        }
    }

    /// Ends the client: closes the connection, fails waiters and ends streams.
    private func end(_ reason: ClientError) {
        let (connection, waiting, streams) = state.withLock { state in
            if state.ended == nil { state.ended = reason }
            return (state.connection, state.reconnected, Array(state.streams.values))
        }
        connection?.close()
        waiting.fail(reason)
        for stream in streams { stream.end(reason) }
        pushQueue.finish()
    }
}
