import AccordJSON
import NIOCore
import WireProtocol

extension ConnectionHandler {
    /// Failed `hello`s after which the connection is closed.
    static let maxFailedHellos = 3

    /// `hello`: with tokens configured, `token` authenticates and names the
    /// connection (the token's name is the principal stamped on its appends);
    /// without, `client` names it. A connection says `hello` once. From an
    /// address with failed `hello`s, the token is checked at the throttle's
    /// turn (`AuthThrottle`); the third wrong token closes the connection.
    /// Otherwise a failed `hello` leaves the connection as it was.
    func hello(_ ticket: Ticket, token: String?, client: String?) {
        let credentials = server.credentials.now
        if saidHello {
            let error = WireError(
                .forbidden, "this connection already said hello as \(principal); open another connection for another name")
            return finish(ticket, server.refusal(ticket.id, error))
        }
        guard credentials.requiresAuthentication else { return name(ticket, client: client) }
        guard let token else {
            let error = WireError(.unauthenticated, "this server requires a token: send {\"op\":\"hello\",\"token\":\"acc_…\"}")
            return finish(ticket, server.refusal(ticket.id, error))
        }
        switch server.authThrottle.admit(peer: peerHost, now: .now()) {
        case .now: authenticate(ticket, token: token)
        case .at(let turn):
            let bound = bound
            pendingHello = loop.eventLoop.scheduleTask(deadline: turn) {
                let handler = bound.value
                handler.pendingHello = nil
                handler.authenticate(ticket, token: token)
                handler.loop.flush()
            }
        case .refused:
            logger.info("refused a hello unchecked: too many failed attempts from this address", metadata: ["peer": "\(peerHost)"])
            let error = WireError(.unauthenticated, "too many failed attempts from this address; try again later")
            state.closeAfter(ticket.sequence)
            stopStreams(announceShutdown: false)
            finish(ticket, server.refusal(ticket.id, error))
        }
    }

    /// `hello` on a server without tokens: `client` names the connection.
    private func name(_ ticket: Ticket, client: String?) {
        // Its length and characters were checked with the request.
        guard let client else {
            return finish(ticket, server.refusal(ticket.id, .badRequest("client is required: a name for this connection", field: "client")))
        }
        principal = client
        saidHello = true
        finish(ticket, Response.ok(ticket.id, ["principal": .string(principal), "role": .string(role?.name ?? "none")]))
    }

    private func authenticate(_ ticket: Ticket, token: String) {
        guard !state.isClosed else { return finish(ticket, []) }
        let hash = TokenStore.hash(token)
        guard let (name, granted) = server.credentials.now.tokens.grant(forHash: hash) else {
            return refuseHello(ticket)
        }
        principal = name
        role = granted
        tokenHash = hash
        saidHello = true
        logger[metadataKey: "principal"] = "\(name)"
        authDeadline?.cancel()
        state.authenticated()
        setOutputLimit(state.outputBudget)
        lineLimit.maxLineBytes = server.configuration.maxLineBytes
        var result: [String: JSONValue] = ["principal": .string(principal), "role": .string(granted.name)]
        if case .recipient(let id) = granted { result["recipientId"] = .string(id) }
        finish(ticket, Response.ok(ticket.id, .object(JSONObject(result))))
    }

    /// A wrong token: refused, and the last allowed one closes the connection.
    private func refuseHello(_ ticket: Ticket) {
        failedHellos += 1
        if let count = server.authThrottle.failed(peer: peerHost, now: .now()) {
            logger.warning("authentication failed", metadata: ["peer": "\(peerHost)", "failures": "\(count)"])
        }
        let last = failedHellos >= Self.maxFailedHellos
        let message = last ? "the token is not valid; \(failedHellos) failed attempts, closing the connection" : "the token is not valid"
        if last {
            state.closeAfter(ticket.sequence)
            stopStreams(announceShutdown: false)
        }
        finish(ticket, server.refusal(ticket.id, WireError(.unauthenticated, message)))
    }

    /// The refusal for a request this connection may not make, or `nil`.
    func gate(_ request: Request) -> [UInt8]? {
        guard let role else {
            let privateTransparency = server.configuration.privateTransparency
            guard AccessPolicy.isPublic(request.command, privateTransparency: privateTransparency) else {
                let allowed = privateTransparency ? "ping and hello" : "ping, hello, checkpoint, the proofs and gateways"
                return server.refusal(
                    request.id,
                    WireError(.unauthenticated, "authenticate first with hello and a token; before that only \(allowed) are allowed"))
            }
            return nil
        }
        guard let reason = AccessPolicy.denial(request.command, for: role) else { return nil }
        logger.warning(
            "operation forbidden", metadata: ["principal": "\(principal)", "role": "\(role.name)", "op": "\(request.command.op)"])
        return server.refusal(request.id, WireError(.forbidden, "\(principal) (\(role.name)) may not do this: \(reason)"))
    }

    /// Closes the connection, whatever it has pending, if it has not
    /// authenticated in time (tokens configured), and once it is idle or
    /// its peer has taken none of its output for the idle timeout.
    func startTimers() {
        let configuration = server.configuration
        let bound = bound
        if case .awaitingHello = state.phase {
            authDeadline = loop.eventLoop.scheduleTask(in: Self.amount(configuration.authTimeout)) {
                bound.value.closeIfUnauthenticated()
            }
        }
        guard let limit = configuration.idleTimeout else { return }
        let tick = Self.amount(min(limit / 4, .seconds(30)))
        timers.append(loop.eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { _ in bound.value.closeIfIdle() })
    }

    private func closeIfUnauthenticated() {
        guard case .awaitingHello = state.phase else { return }
        logger.info("closing a connection that did not authenticate in time")
        let timeout = server.configuration.authTimeout
        // The line goes out if the socket takes it; the close does not wait for the peer to read.
        write(server.refusal(.null, WireError(.unauthenticated, "no valid hello within \(timeout); closing the connection")))
        flushNow()
        closeNow()
    }

    private func closeIfIdle() {
        guard !state.isClosed else {
            for timer in timers { timer.cancel() }
            return timers.removeAll()
        }
        guard let limit = server.configuration.idleTimeout,
            state.tick(now: .now(), lastLine: lastLine, streaming: !streams.isEmpty, idleTimeout: Self.amount(limit)) != nil
        else { return }
        logger.info("closing an idle or stalled connection", metadata: ["idleTimeout": "\(limit)"])
        stopStreams(announceShutdown: false)
        context?.channel.close(promise: nil)
    }

    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
