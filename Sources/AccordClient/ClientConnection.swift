import AccordCore
import AccordJSON
import LineFraming
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

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

    private struct Pending {
        let answer: Eventual<JSONValue>
        let deadline: ContinuousClock.Instant?
        let onSuccess: OnSuccess?
        /// Set for `requestLine`: takes a success's whole line, which is then not parsed.
        var whole: (@Sendable ([UInt8]) -> Void)? = nil
    }

    private struct State {
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
    private let state = Mutex(State())

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
            let hint = configuration.tls == nil ? " (a TLS server says nothing until the client starts TLS: add --tls)" : ""
            connection.info.fail(
                ClientError.timedOut("the server at \(configuration.host):\(configuration.port) sent no info line in time\(hint)"))
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
        _ op: String, _ members: [String: JSONValue], timeout: Duration?, onSuccess: OnSuccess? = nil,
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
        var line = JSONValue.object(JSONObject(message)).canonicalBytes
        line.append(0x0A)
        channel.writeAndFlush(ByteBuffer(bytes: line), promise: nil)
        return try await answer.value()
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

    fileprivate func receive(_ line: ByteBuffer) {
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

    fileprivate func didClose(_ error: (any Error)?) {
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

    /// A sentence for a connection failure, naming TLS problems as such;
    /// never a library type's own description.
    static func explain(_ error: any Error) -> String {
        switch error {
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            explainTLS("\(error)")
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { explain(first.error) } else { "the host name does not resolve to an address" }
        case let error as IOError:
            explain(errno: error.errnoCode)
        case ChannelError.connectTimeout:
            "the connection timed out"
        case let error as ClientError:
            error.description
        default:
            "the connection failed"
        }
    }

    private static func explain(errno code: CInt) -> String {
        switch code {
        case ECONNREFUSED: "connection refused: nothing is listening there (is the server running, on this port?)"
        case ECONNRESET: "the server reset the connection"
        case ETIMEDOUT: "the connection timed out"
        case EHOSTUNREACH, ENETUNREACH: "no route to the host"
        default: String(cString: strerror(code)).lowercased()
        }
    }

    private static func explainTLS(_ text: String) -> String {
        let reason =
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                "the server's certificate is not signed by a CA you trust (--tls-ca)"
            } else if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") {
                "the server does not speak TLS on this port (drop --tls?)"
            } else if text.lowercased().contains("hostname") || text.contains("HOSTNAME") {
                "the server's certificate is not for this host name"
            } else if text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE") {
                "the server refused the handshake: it may require a client certificate (--tls-certificate, --tls-key)"
            } else {
                "check the server's certificate and the CA you trust (--tls-ca)"
            }
        return "the TLS handshake failed: \(reason)"
    }
}

/// The last handler of a client connection: hands each line to the
/// connection, holding the lines (and a close) that arrive before the
/// connection is attached. Confined to its channel's event loop (`NIOLoopBound`).
private final class LineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var connection: ClientConnection?
    private var early: [ByteBuffer] = []
    private var closedEarly = false
    private var failure: (any Error)?

    func attach(_ connection: ClientConnection) {
        self.connection = connection
        for line in early { connection.receive(line) }
        early = []
        if closedEarly { connection.didClose(failure) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        guard let connection else { return early.append(line) }
        connection.receive(line)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil {
            failure =
                (error as? LineDecoder.LineTooLong).map {
                    ClientError.unexpectedAnswer("a line from the server exceeds \($0.maxLineBytes) bytes")
                } ?? error
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let connection { connection.didClose(failure) } else { closedEarly = true }
        context.fireChannelInactive()
    }
}

extension ClientConnection {
    private static let eventPushHead = Array(#"{"sub":""#.utf8)
    private static let eventMember = Array(#"","event":"#.utf8)

    /// Hands a pushed event line (`{"sub":"NAME","event":{…}}`, as the
    /// server writes it) to its subscription's event sink without parsing
    /// it; `false` for any other line.
    fileprivate func routeEvent(_ line: UnsafeRawBufferPointer) -> Bool {
        let head = Self.eventPushHead
        guard line.count > head.count + 16, line.starts(with: head) else { return false }
        let nameStart = head.count
        guard let quote = line[nameStart...].firstIndex(of: UInt8(ascii: "\"")), quote - nameStart <= 32 else { return false }
        let member = Self.eventMember
        let eventStart = quote + member.count
        guard line[(quote)...].starts(with: member), line[line.count - 1] == UInt8(ascii: "}") else { return false }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[nameStart..<quote]), as: UTF8.self)
        guard let sink = state.withLock({ $0.eventSinks[name] }) else { return false }
        sink(UnsafeRawBufferPointer(rebasing: line[eventStart..<line.count - 1]))
        return true
    }

    private static let successHead = Array(#"{"id":"#.utf8)
    private static let successTail = Array(#","ok":true,"#.utf8)

    /// Hands a success line (`{"id":N,"ok":true,…`) whose request asked for
    /// the whole line (`requestLine`) to it without parsing; `false` for any
    /// other line.
    fileprivate func routeWhole(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.starts(with: Self.successHead) else { return false }
        var id: Int64 = 0
        var index = Self.successHead.count
        while index < line.count, index < 26, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[index]) {
            id = id * 10 + Int64(line[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard line[index...].starts(with: Self.successTail) else { return false }
        let pending = state.withLock { state -> Pending? in
            guard state.pending[id]?.whole != nil else { return nil }
            return state.pending.removeValue(forKey: id)
        }
        guard let pending, let whole = pending.whole else { return false }
        whole(Array(line))
        pending.answer.succeed(.null)
        return true
    }
}
