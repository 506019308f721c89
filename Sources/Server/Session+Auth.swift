import AccordJSON
import Synchronization
import WireProtocol

extension Session {
    /// `hello`: with tokens configured, `token` authenticates and names the
    /// connection (the token's name is the principal stamped on its appends);
    /// without, `client` names it. A failed `hello` leaves the connection as it was.
    mutating func hello(_ request: Request) -> [UInt8] {
        do {
            let tokens = context.configuration.tokens
            if tokens.isEmpty {
                let client = try request.string("client")
                guard !client.isEmpty, client.utf8.count <= 128 else {
                    throw WireError.badRequest("client must be 1 to 128 bytes", field: "client")
                }
                principal = client
            } else {
                guard role == nil else {
                    throw WireError(
                        .forbidden, "this connection is already authenticated as \(principal); open another connection for another token")
                }
                guard let token = try request.optionalString("token") else {
                    throw WireError(.unauthenticated, "this server requires a token: send {\"op\":\"hello\",\"token\":\"acc_…\"}")
                }
                guard let (name, granted) = tokens.authenticate(token) else {
                    logger.warning("authentication failed", metadata: ["principal": "\(principal)"])
                    throw WireError(.unauthenticated, "the token is not valid")
                }
                principal = name
                role = granted
                activity.setAuthenticated()
            }
            var result: [String: JSONValue] = ["principal": .string(principal), "role": .string(role?.name ?? "none")]
            if case .recipient(let id)? = role { result["recipientId"] = .string(id) }
            return Response.ok(request.id, .object(result))
        } catch {
            return context.failure(request, error)
        }
    }

    /// The refusal for a request this connection may not make, or `nil`.
    func gate(_ request: Request) -> [UInt8]? {
        guard let role else {
            guard AccessPolicy.public.contains(request.op) else {
                return context.refusal(
                    request.id,
                    WireError(
                        .unauthenticated, "authenticate first with hello and a token; before that only ping and hello are allowed"))
            }
            return nil
        }
        guard let reason = AccessPolicy.denial(request, for: role) else { return nil }
        logger.warning("operation forbidden", metadata: ["principal": "\(principal)", "role": "\(role.name)", "op": "\(request.op)"])
        return context.refusal(request.id, WireError(.forbidden, "\(principal) (\(role.name)) may not do this: \(reason)"))
    }

    /// Closes the connection if it has not authenticated within the configured time.
    func closeIfSilent(_ close: @escaping @Sendable () -> Void, in group: inout DiscardingTaskGroup) {
        let (activity, timeout, output, logger, context) = (activity, context.configuration.authTimeout, output, logger, context)
        group.addTask {
            guard (try? await Task.sleep(for: timeout)) != nil, !activity.isAuthenticated else { return }
            logger.info("closing a connection that did not authenticate in time")
            try? await output.write(
                context.refusal(.null, WireError(.unauthenticated, "no valid hello within \(timeout); closing the connection")))
            close()
        }
    }

    /// Closes the connection once it has been idle (no line, no subscription
    /// or watch) for the configured time; `nil` disables it.
    func closeWhenIdle(_ close: @escaping @Sendable () -> Void, in group: inout DiscardingTaskGroup) {
        guard let limit = context.configuration.idleTimeout else { return }
        let (activity, logger) = (activity, logger)
        group.addTask {
            let tick = min(limit / 4, .seconds(30))
            while (try? await Task.sleep(for: tick)) != nil {
                if activity.isIdle(for: limit) {
                    logger.info("closing an idle connection", metadata: ["idleTimeout": "\(limit)"])
                    close()
                    return
                }
            }
        }
    }
}
