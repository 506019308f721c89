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
/// A thin shell around `ConnectionStateMachine`, which decides what is read,
/// started, written and closed; this does the I/O and runs the work.
/// Requests are decoded here (a large line on the blocking pool) and
/// answered here or on the blocking pools; an append is prepared here and
/// submitted to the group commit, whose writer completes it back on this
/// loop. Responses leave in request order, flushed once per batch.
///
/// Completions from other threads reach the handler through `bound`, made
/// when needed: it holds the handler until the completion runs, and the
/// state machine drops the completion if the connection closed meanwhile.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A started request's place and kind of work, handed back with its response.
    typealias Ticket = ConnectionStateMachine.Ticket

    /// Lines longer than this are decoded on the blocking pool, so that one
    /// connection's large append does not hold up the others on the loop.
    static let decodeOnLoopUpTo = 32 << 10

    let server: ServerContext
    let loop: LoopShared
    /// The line limit, raised once `hello` succeeds.
    let lineLimit: LineSplitter.Limit
    /// Cuts requests out of the bytes read (`inbound`).
    var splitter: LineSplitter
    /// Bytes read and not yet cut into lines: a line's start, or lines that
    /// arrived while one was being handled; `nil` when everything was cut.
    var inbound: ByteBuffer?
    /// `channelRead` is cutting lines; a nested read only adds its bytes.
    var splitting = false
    /// A line broke the limit: nothing more is read as a request.
    var inboundRefused = false
    private(set) var context: ChannelHandlerContext?
    /// The channel's allocator, kept: reaching it through the context per
    /// response cost a retain and release of the pipeline each time.
    private(set) var allocator = ByteBufferAllocator()
    var state: ConnectionStateMachine
    var principal = "unknown"
    /// `nil` until `hello` authenticates, when tokens are configured.
    var role: Role?
    var logger: Logger
    /// Whether each request is logged (at `debug`): asked once, as the
    /// level is fixed while the server runs and asking copies the handler.
    let logsRequests: Bool
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
    /// Failed `hello`s on this connection.
    var failedHellos = 0
    /// A `hello` succeeded; a connection says it once.
    var saidHello = false
    /// A `hello` waiting for its turn to be checked (`AuthThrottle`).
    var pendingHello: Scheduled<Void>?
    /// The SHA-256 of the token this connection authenticated with, so a
    /// reload can tell whether it still grants the same role.
    var tokenHash: String?
    var peer = "unknown"
    var peerHost = "unknown"
    let since = Timestamp.now()
    /// Re-entrancy guard for `drive`: work that completes synchronously drives again.
    /// `drive` is running; a nested call sets `driveAgain` instead.
    var driving = false
    var driveAgain = false

    init(server: ServerContext, loop: LoopShared, lineLimit: LineSplitter.Limit) {
        self.server = server
        self.loop = loop
        self.lineLimit = lineLimit
        splitter = LineSplitter(limit: lineLimit)
        logger = server.logger
        logsRequests = server.logger.logLevel <= .debug
        let requiresHello = server.credentials.requiresAuthentication
        state = ConnectionStateMachine(limits: server.configuration.connectionLimits, requiresHello: requiresHello)
        if !requiresHello { role = .admin }
    }

    /// This handler, for completions that arrive through other threads.
    var bound: NIOLoopBound<ConnectionHandler> { NIOLoopBound(self, eventLoop: loop.eventLoop) }

    /// Hands work back to this connection on its loop, and flushes what it wrote.
    var onLoop: LoopHop { LoopHop(handler: bound, executor: loop.executor) }

    struct LoopHop: Sendable {
        let handler: NIOLoopBound<ConnectionHandler>
        let executor: LoopExecutor

        func callAsFunction(_ body: @escaping @Sendable (ConnectionHandler) -> Void) {
            let handler = handler
            executor.execute { body(handler.value) }
        }
    }

    /// Whether the socket takes more now; `false` once the connection is closing.
    var isWritable: Bool { !state.isClosed && (context?.channel.isWritable ?? false) }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        allocator = context.channel.allocator
        setOutputLimit(state.outputBudget)
        loop.connections += 1
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        loop.connections -= 1
    }

    func channelActive(context: ChannelHandlerContext) {
        let remote = context.remoteAddress
        peerHost = remote?.ipAddress ?? "unknown"
        peer = remote.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        principal = peer
        logger[metadataKey: "peer"] = "\(peer)"
        let added = server.connections.add(ConnectionRegistry.Entry(channel: context.channel, handler: bound))
        registration = added.id
        server.metrics.connections.record(Int64(added.open))
        guard added.open <= server.configuration.maxConnections else {
            logger.warning("refused a connection: too many open")
            let limit = server.configuration.maxConnections
            close(saying: WireErrorLine(code: .overloaded, message: "the server has \(limit) connections open, its limit; try again later"))
            return
        }
        // Written and flushed here: a peer that resets at once must leave nothing queued for a later flush.
        // A failed write may close the channel (and run `channelInactive`) before this returns.
        context.writeAndFlush(wrapOutboundOut(buffer(server.infoLine())), promise: nil)
        guard !state.isClosed else { return }
        startTimers()
        if added.shuttingDown { beginDrain(announceShutdown: true) }
        context.fireChannelActive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        loop.flush()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if state.readRequested() { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        state.writabilityChanged(context.channel.isWritable, now: .now())
        if context.channel.isWritable {
            pumpStreams()
            drive()
        }
        loop.flush()
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            // The client sent everything it will (`nc -N`): answer it, then close. A last
            // line without its `\n` is not a line: the peer stopped mid-line.
            inbound = nil
            beginDrain(announceShutdown: false)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let error as NIOSSLError:
            // A peer that goes away without a TLS close_notify is ordinary; a failed handshake is not.
            if case .uncleanShutdown = error {
                logger.debug("TLS connection closed without close_notify")
            } else {
                logger.warning("TLS failed", metadata: ["error": "\(error)"])
            }
            closeNow()
        default:
            logger.debug("connection failed", metadata: ["error": "\(error)"])
            closeNow()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.inactive()
        stopStreams(announceShutdown: false)
        for timer in timers { timer.cancel() }
        timers.removeAll()
        authDeadline?.cancel()
        pendingHello?.cancel()
        pendingHello = nil
        if let registration { server.connections.remove(registration) }
        registration = nil
        server.metrics.connections.record(Int64(server.connections.count))
        context.fireChannelInactive()
    }
}
