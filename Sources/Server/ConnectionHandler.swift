import AccordCore
import AccordJSON
import EventStore
import LineFraming
import Logging
import NIOCore
import NIOSSL
import WireProtocol

/// One client connection, handled where its bytes arrive: on its event loop.
///
/// Requests are decoded and answered here; an append is prepared here and
/// submitted to the group commit, whose writer completes it back on this
/// loop (two thread hand-offs per commit, however many appends it carries).
/// Responses leave in request order (`ResponseQueue`), flushed once per
/// batch. A query waits for the connection's earlier appends, and an append
/// for its earlier queries' snapshots, so a query sees every append sent
/// before it on this connection and none sent after. Reading stops while
/// `maxInFlightPerConnection` requests are unanswered (TCP backpressure).
///
/// Lifecycle: `open`; `draining` once the server shuts down, the client
/// closes its sending side, or a line is too long (no more requests are
/// read; those read are answered; streams end); `closed`.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Lifecycle {
        case open
        /// No more requests are read; close once everything read is answered.
        case draining(announceShutdown: Bool)
        case closed
    }

    let server: ServerContext
    let loop: LoopShared
    var context: ChannelHandlerContext!
    /// This handler, for completions that arrive through other threads.
    var bound: NIOLoopBound<ConnectionHandler>!
    var lifecycle = Lifecycle.open
    var principal = "unknown"
    /// `nil` until `hello` authenticates, when tokens are configured.
    var role: Role?
    var logger: Logger
    var responses = ResponseQueue()
    /// Requests read but not started yet, in order.
    var waiting = CircularBuffer<(sequence: UInt64, request: Request)>()
    var appendsInFlight = 0
    var queriesInFlight = 0
    /// A `read` was held back while too many requests were unanswered.
    var heldRead = false
    /// Queued in `LoopShared` for a flush.
    var flushQueued = false
    var streams: [String: any PushStream] = [:]
    var nextStreamNumber = 0
    /// A later turn of the loop will pump the streams.
    var pumpScheduled = false
    var lastLine = NIODeadline.now()
    var registration: UInt64?
    var timers: [RepeatedTask] = []
    var authDeadline: Scheduled<Void>?
    /// The SHA-256 of the token this connection authenticated with, so a
    /// reload can tell whether it still grants the same role.
    var tokenHash: String?
    var peer = "unknown"
    let since = Timestamp.now()

    init(server: ServerContext, loop: LoopShared) {
        self.server = server
        self.loop = loop
        logger = server.logger
        if !server.credentials.requiresAuthentication { role = .admin }
    }

    /// Whether the socket takes more now; `false` once the connection is gone.
    var isWritable: Bool { context?.channel.isWritable ?? false }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        bound = NIOLoopBound(self, eventLoop: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // `bound` and `context` both refer back to this handler: let them go.
        // Completions still in flight hold their own reference until they run.
        bound = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        principal = peer
        logger[metadataKey: "peer"] = "\(peer)"
        let added = server.connections.add(ConnectionRegistry.Entry(channel: context.channel, handler: bound!))
        registration = added.id
        server.metrics.connections.record(Int64(added.open))
        guard added.open <= server.configuration.maxConnections else {
            logger.warning("refused a connection: too many open")
            let limit = server.configuration.maxConnections
            write(server.refusal(.null, WireError(.overloaded, "the server has \(limit) connections open, its limit; try again later")))
            closeAfterWriting()
            return
        }
        write(server.infoLine())
        context.flush()
        startTimers()
        if added.shuttingDown { beginDrain(announceShutdown: true) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .open = lifecycle else { return }
        lastLine = .now()
        let line = unwrapInboundIn(data)
        let sequence = responses.reserve()
        if line.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            return respond(sequence, [])
        }
        let request: Request
        do {
            request = try line.withUnsafeReadableBytes { raw in try Request.decode(raw) }
        } catch let error as RequestError {
            return respond(sequence, server.refusal(error.id, error.error))
        } catch {
            return respond(sequence, server.refusal(.null, WireError(.badJSON, "the line could not be read")))
        }
        // Op, id and principal only: never the line, which may hold a token or law-enforcement details.
        logger.debug(
            "request", metadata: ["op": "\(request.command.op)", "id": "\(request.id.canonicalString)", "principal": "\(principal)"])
        waiting.append((sequence, request))
        startWaiting()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        loop.flush()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        guard case .open = lifecycle, responses.outstanding < server.configuration.maxInFlightPerConnection else {
            heldRead = true
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { pumpStreams() }
        loop.flush()
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            // The client sent everything it will (`nc -N`): answer it, then close.
            beginDrain(announceShutdown: false)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case is LineDecoder.LineTooLong:
            let limit = server.configuration.maxLineBytes
            let sequence = responses.reserve()
            beginDrain(announceShutdown: false)
            respond(
                sequence,
                server.refusal(
                    .null,
                    WireError(
                        .lineTooLong, "a line may be at most \(limit) bytes; closing the connection",
                        details: ["maxLineBytes": .integer(Int64(limit))])))
            loop.flush()
        case let error as NIOSSLError:
            logger.warning("TLS handshake failed", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        default:
            logger.debug("connection failed", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        lifecycle = .closed
        stopStreams(announceShutdown: false)
        for timer in timers { timer.cancel() }
        authDeadline?.cancel()
        if let registration { server.connections.remove(registration) }
        server.metrics.connections.record(Int64(server.connections.count))
        context.fireChannelInactive()
    }

    // MARK: Requests in order

    /// Starts the waiting requests that may start: an append once no query
    /// of this connection is still reading, a query once no append of this
    /// connection is still committing.
    func startWaiting() {
        while let next = waiting.first {
            switch next.request.command {
            case .append, .auditRead: guard queriesInFlight == 0 else { return }
            default: guard appendsInFlight == 0 else { return }
            }
            waiting.removeFirst()
            start(next.sequence, next.request)
        }
        finishDrainIfDone()
    }

    private func start(_ sequence: UInt64, _ request: Request) {
        if let refusal = gate(request) { return respond(sequence, refusal) }
        switch request.command {
        case .append(let append): startAppend(sequence, request.id, append)
        case .auditRead(let read): startAuditRead(sequence, request.id, read)
        case .hello(let token, let client): respond(sequence, hello(request.id, token: token, client: client))
        case .subscribe(let subscribe): startSubscription(sequence, request.id, subscribe)
        case .watch(let watch): startWatch(sequence, request.id, watch)
        case .unsubscribe(let name), .unwatch(let name): stopStream(sequence, request, name: name)
        case .connections: listConnections(sequence, request.id)
        case .disconnect(let connection): respond(sequence, disconnect(request.id, connection))
        default: startQuery(sequence, request)
        }
    }

    // MARK: Output

    /// Records response `sequence` and writes every response now due.
    func respond(_ sequence: UInt64, _ bytes: [UInt8]) {
        // A completion may arrive after the connection is gone: nothing to write then.
        guard let context else { return }
        let due = responses.complete(sequence, context.channel.allocator.buffer(bytes: bytes))
        guard !due.isEmpty else { return }
        for buffer in due where buffer.readableBytes > 0 { context.write(wrapOutboundOut(buffer), promise: nil) }
        loop.needsFlush(self)
        if heldRead, case .open = lifecycle, responses.outstanding < server.configuration.maxInFlightPerConnection {
            heldRead = false
            context.read()
        }
        if !streams.isEmpty { pumpStreams() }
        finishDrainIfDone()
    }

    /// Writes a line outside the response order (a push); flushed with the batch.
    func write(_ bytes: [UInt8]) {
        guard let context else { return }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        loop.needsFlush(self)
    }

    func flushNow() {
        context?.flush()
    }

    // MARK: Draining

    /// Stops reading; answers what was read, ends streams (with a `closed`
    /// line on shutdown), then closes.
    func beginDrain(announceShutdown: Bool) {
        guard case .open = lifecycle else { return }
        lifecycle = .draining(announceShutdown: announceShutdown)
        stopStreams(announceShutdown: announceShutdown)
        finishDrainIfDone()
        loop.flush()
    }

    private func finishDrainIfDone() {
        guard case .draining = lifecycle, waiting.isEmpty, responses.outstanding == 0, appendsInFlight == 0, queriesInFlight == 0 else {
            return
        }
        closeAfterWriting()
    }

    /// Flushes what was written, then closes.
    func closeAfterWriting() {
        lifecycle = .closed
        guard let context else { return }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
