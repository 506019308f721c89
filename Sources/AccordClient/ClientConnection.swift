import AccordCore
import AccordJSON
import LineFraming
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import WireProtocol

#if canImport(Glibc)
import Glibc
#endif

/// One TCP (or TLS) connection to the server, and everything waiting on it:
/// requests by id, and the push buffers of its subscriptions and watches by
/// their server names.
///
/// Lines are handled where they arrive, on the connection's event loop: a
/// response settles its request's `Eventual`; a push goes to its buffer. A
/// request that starts a stream names the buffer in its completion, which
/// runs before the next line is read, so no push can arrive unclaimed.
final class ClientConnection: Sendable {
    /// What happens on the event loop when a request succeeds, before the next line.
    typealias OnSuccess = @Sendable (JSONValue) -> Void

    struct Pending {
        let answer: Eventual<JSONValue>
        let deadline: ContinuousClock.Instant?
        let onSuccess: OnSuccess?
        /// Set for `requestLine`: takes a success's whole line, which is then not parsed.
        var whole: (@Sendable ([UInt8]) -> Void)? = nil
    }

    struct State {
        var nextID: Int64 = 0
        var pending: [Int64: Pending] = [:]
        var sinks: [String: @Sendable (JSONValue) -> Void] = [:]
        /// Subscriptions that take their pushed events as bytes (`claimEvents`).
        var eventSinks: [String: @Sendable (UnsafeRawBufferPointer) -> Void] = [:]
        var lastServerError: String?
        var pausedBuffers = 0
        var isClosed = false
    }

    let channel: any Channel
    /// The server's info line, once read.
    let info = Eventual<JSONValue>()
    /// Settled when the connection closes, with why.
    let closed = Eventual<ClientError>()
    /// Lines pushed for no subscription or watch this client started.
    let unclaimed: @Sendable (JSONValue) -> Void
    let state = Mutex(State())

    private init(channel: any Channel, unclaimed: @escaping @Sendable (JSONValue) -> Void) {
        self.channel = channel
        self.unclaimed = unclaimed
    }

    /// Connects and reads the info line, within `configuration.connectTimeout`.
    static func open(
        _ configuration: ClientConfiguration, unclaimed: @escaping @Sendable (JSONValue) -> Void
    ) async throws -> ClientConnection {
        let timeout = TimeAmount.nanoseconds(
            Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
                + configuration.connectTimeout.components.attoseconds / 1_000_000_000)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let handler = try await eventLoop.submit { NIOLoopBound(LineHandler(), eventLoop: eventLoop) }.get()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls = configuration.tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: configuration.tlsServerName))
                        }
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineDecoder(maxLineBytes: configuration.maxLineBytes)))
                        try channel.pipeline.syncOperations.addHandler(handler.value)
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw ClientError.connectFailed("\(configuration.host):\(configuration.port): \(Self.explain(error))")
        }
        let connection = ClientConnection(channel: channel, unclaimed: unclaimed)
        try await eventLoop.submit { handler.value.attach(connection) }.get()
        connection.startSweeping(every: configuration.requestTimeout.map { min($0 / 4, .seconds(1)) } ?? .seconds(1))
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            // No TLS hint: silence is what any server that hangs sends, TLS or not.
            connection.info.fail(
                ClientError.timedOut("the server at \(configuration.host):\(configuration.port) sent no info line in time"))
        }
        defer { deadline.cancel() }
        do {
            _ = try await connection.info.value()
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// Sends one request and waits for its `result`; throws `ClientError.server` for `"ok": false`.
    func request(
        _ op: String, _ members: JSONObject, timeout: Duration?, onSuccess: OnSuccess? = nil,
        whole: (@Sendable ([UInt8]) -> Void)? = nil
    ) async throws -> JSONValue {
        let answer = Eventual<JSONValue>()
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let registered = state.withLock { state -> (id: Int64, closed: Bool) in
            guard !state.isClosed else { return (0, true) }
            state.nextID += 1
            state.pending[state.nextID] = Pending(answer: answer, deadline: deadline, onSuccess: onSuccess, whole: whole)
            return (state.nextID, false)
        }
        if registered.closed { throw ClientError.connectionLost(serverSaid: state.withLock { $0.lastServerError }) }
        var message = members
        message["id"] = .integer(registered.id)
        message["op"] = .string(op)
        var line = JSONValue.object(message).canonicalBytes
        line.append(0x0A)
        channel.writeAndFlush(ByteBuffer(bytes: line), promise: nil)
        return try await answer.value()
    }

    /// Sends a typed command (see `request(_:_:timeout:)`).
    func request(_ command: Command, timeout: Duration?, onSuccess: OnSuccess? = nil) async throws -> JSONValue {
        try await request(command.op, command.members, timeout: timeout, onSuccess: onSuccess)
    }

    /// Writes raw bytes (for tools and tests that send malformed input).
    func send(raw bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Routes pushes named `name` to `sink` (on the event loop).
    func claim(_ name: String, _ sink: @escaping @Sendable (JSONValue) -> Void) {
        state.withLock { $0.sinks[name] = sink }
    }

    /// Routes the events pushed for subscription `name` to `sink` as the
    /// bytes of each event object, not parsed (on the event loop); its other
    /// lines still go to the sink given to `claim`.
    func claimEvents(_ name: String, _ sink: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        state.withLock { $0.eventSinks[name] = sink }
    }

    /// Stops routing pushes named `name`.
    func release(_ name: String) {
        state.withLock {
            $0.sinks.removeValue(forKey: name)
            $0.eventSinks.removeValue(forKey: name)
        }
    }

    /// A push buffer asks the connection to stop (`true`) or resume (`false`) reading.
    func pressure(_ full: Bool) {
        let change = state.withLock { state -> Bool? in
            // A buffer paused on an earlier connection may relieve this one: never below zero.
            guard full || state.pausedBuffers > 0 else { return nil }
            state.pausedBuffers += full ? 1 : -1
            if full, state.pausedBuffers == 1 { return false }
            if !full, state.pausedBuffers == 0 { return true }
            return nil
        }
        guard let resume = change else { return }
        let channel = channel
        channel.eventLoop.execute {
            channel.setOption(.autoRead, value: resume).whenSuccess { if resume { channel.read() } }
        }
    }

    func close() {
        channel.close(promise: nil)
    }

    // MARK: On the event loop

    func receive(_ line: ByteBuffer) {
        if line.withUnsafeReadableBytes({ routeEvent($0) || routeWhole($0) }) { return }
        guard let value = try? line.withUnsafeReadableBytes({ try JSONParser.parse($0) }) else { return }
        if !info.isResolved {
            info.resolve(value["info"].map { .success($0) } ?? .failure(ClientError.unexpectedAnswer("the first line is not an info line")))
            return
        }
        if let ok = value["ok"]?.boolValue {
            return respond(to: value["id"] ?? .null, ok: ok, value)
        }
        if case .string(let name)? = value["sub"] ?? value["watch"], let sink = state.withLock({ $0.sinks[name] }) {
            return sink(value)
        }
        unclaimed(value)
    }

    private func respond(to id: JSONValue, ok: Bool, _ value: JSONValue) {
        let error = value["error"] ?? .null
        guard case .integer(let id) = id, let pending = state.withLock({ $0.pending.removeValue(forKey: id) }) else {
            // A line the server could not attribute (`id: null`): it often
            // comes right before the server closes the connection.
            if !ok { state.withLock { $0.lastServerError = Self.describe(error) } }
            return
        }
        guard ok else {
            pending.answer.fail(
                ClientError.server(
                    code: ErrorCode(rawValue: error["code"]?.stringValue ?? "internal"), message: error["message"]?.stringValue ?? "",
                    error: error))
            return
        }
        let result = value["result"] ?? .null
        pending.onSuccess?(result)
        pending.answer.succeed(result)
    }

    func didClose(_ error: (any Error)?) {
        let (pending, said) = state.withLock { state -> ([Pending], String?) in
            state.isClosed = true
            defer { state.pending.removeAll() }
            if state.lastServerError == nil, let error { state.lastServerError = Self.explain(error) }
            return (Array(state.pending.values), state.lastServerError)
        }
        let reason = ClientError.connectionLost(serverSaid: said)
        info.fail(reason)
        for waiter in pending { waiter.answer.fail(reason) }
        closed.succeed(reason)
    }

    private func startSweeping(every interval: Duration) {
        let nanoseconds = Int64(interval.components.seconds) * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
        channel.eventLoop.scheduleRepeatedTask(initialDelay: .nanoseconds(nanoseconds), delay: .nanoseconds(nanoseconds)) {
            [weak self] task in
            guard let self else { return task.cancel() }
            let now = ContinuousClock.now
            let expired = state.withLock { state -> [Pending] in
                if state.isClosed { task.cancel() }
                let ids = state.pending.compactMap { id, pending in pending.deadline.map { $0 <= now } == true ? id : nil }
                return ids.compactMap { state.pending.removeValue(forKey: $0) }
            }
            for pending in expired { pending.answer.fail(ClientError.timedOut("the server did not answer a request in time")) }
        }
    }

    private static func describe(_ error: JSONValue) -> String {
        "\(error["code"]?.stringValue ?? "error"): \(error["message"]?.stringValue ?? "")"
    }
}
