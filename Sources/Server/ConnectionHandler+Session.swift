import AccordJSON
import NIOCore
import WireProtocol

extension ConnectionHandler {
    /// `hello`: with tokens configured, `token` authenticates and names the
    /// connection (the token's name is the principal stamped on its appends);
    /// without, `client` names it. A failed `hello` leaves the connection as it was.
    func hello(_ id: JSONValue, token: String?, client: String?) -> [UInt8] {
        do {
            let credentials = server.credentials.now
            let tokens = credentials.tokens
            if !credentials.requiresAuthentication {
                guard let client else { throw WireError.badRequest("client is required: a name for this connection", field: "client") }
                guard !client.isEmpty, client.utf8.count <= 128 else {
                    throw WireError.badRequest("client must be 1 to 128 bytes", field: "client")
                }
                principal = client
            } else {
                guard role == nil else {
                    throw WireError(
                        .forbidden, "this connection is already authenticated as \(principal); open another connection for another token")
                }
                guard let token else {
                    throw WireError(.unauthenticated, "this server requires a token: send {\"op\":\"hello\",\"token\":\"acc_…\"}")
                }
                let hash = TokenStore.hash(token)
                guard let (name, granted) = tokens.grant(forHash: hash) else {
                    logger.warning("authentication failed", metadata: ["principal": "\(principal)"])
                    throw WireError(.unauthenticated, "the token is not valid")
                }
                principal = name
                role = granted
                tokenHash = hash
                logger[metadataKey: "principal"] = "\(name)"
                authDeadline?.cancel()
            }
            var result: [String: JSONValue] = ["principal": .string(principal), "role": .string(role?.name ?? "none")]
            if case .recipient(let id)? = role { result["recipientId"] = .string(id) }
            return Response.ok(id, .object(JSONObject(result)))
        } catch {
            return server.failure(id, op: "hello", error)
        }
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

    /// Closes the connection if it has not authenticated in time (tokens
    /// configured), and once it has been idle (no line, no stream, nothing
    /// unanswered) for the configured time.
    func startTimers() {
        let configuration = server.configuration
        let bound = bound!
        if role == nil {
            authDeadline = context.eventLoop.scheduleTask(in: Self.amount(configuration.authTimeout)) {
                bound.value.closeIfUnauthenticated()
            }
        }
        guard let limit = configuration.idleTimeout else { return }
        let tick = Self.amount(min(limit / 4, .seconds(30)))
        timers.append(context.eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { _ in bound.value.closeIfIdle() })
    }

    private func closeIfUnauthenticated() {
        guard role == nil, case .open = lifecycle else { return }
        logger.info("closing a connection that did not authenticate in time")
        let timeout = server.configuration.authTimeout
        write(server.refusal(.null, WireError(.unauthenticated, "no valid hello within \(timeout); closing the connection")))
        closeAfterWriting()
    }

    private func closeIfIdle() {
        guard let context, let limit = server.configuration.idleTimeout, streams.isEmpty, responses.outstanding == 0,
            NIODeadline.now() - lastLine > Self.amount(limit)
        else { return }
        logger.info("closing an idle connection", metadata: ["idleTimeout": "\(limit)"])
        context.close(promise: nil)
    }

    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
