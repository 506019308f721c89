import AccordCore
import AccordJSON
import NIOCore
import WireProtocol

extension ConnectionHandler {
    /// This connection as `connections` lists it.
    func summary() -> JSONValue? {
        guard let registration, let context else { return nil }
        var subscriptions = 0
        var watches = 0
        for stream in streams.values {
            if stream is WatchStream { watches += 1 } else { subscriptions += 1 }
        }
        let queued = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
        var summary: JSONObject = [
            "connection": .integer(Int64(registration)), "peer": .string(peer), "principal": .string(principal),
            "role": role.map { .string($0.name) } ?? .null, "since": .string(since.rfc3339),
            "subscriptions": .integer(Int64(subscriptions)),
            "watches": .integer(Int64(watches)), "requestsInFlight": .integer(Int64(state.outstanding)),
            "bytesQueued": .integer(Int64(queued)), "tls": .bool(server.configuration.tls != nil),
        ]
        if case .recipient(let id)? = role { summary["recipientId"] = .string(id) }
        return .object(summary)
    }

    /// After a reload: a connection whose token no longer grants what it
    /// granted (revoked, or its role changed), or one that never needed a
    /// token on a server that now requires them, is closed with a last
    /// `unauthenticated` line. Connections not yet authenticated are left to `hello`.
    func revalidate(_ tokens: TokenStore) {
        guard let role else { return }
        if let tokenHash, let grant = tokens.grant(forHash: tokenHash), grant.name == principal, grant.role == role { return }
        logger.warning("closing a connection whose token was revoked by a reload", metadata: ["principal": "\(principal)"])
        close(saying: WireErrorLine(code: .unauthenticated, message: "the token this connection authenticated with is no longer valid"))
    }

}

extension ConnectionHandler {
    /// `connections`: every open connection, this one included; each summary
    /// is taken on its connection's own loop, so the answer waits for them.
    func listConnections(_ ticket: Ticket) {
        let (bound, server, id) = (bound, server, ticket.id)
        server.connections.summaries(on: loop.eventLoop).whenComplete { result in
            let handler = bound.value
            switch result {
            case .success(let summaries): handler.finish(ticket, Response.ok(id, ["connections": .array(summaries)]))
            case .failure(let error): handler.finish(ticket, server.failure(id, op: "connections", error))
            }
            // Completed outside a read cycle: nothing else will flush this turn.
            handler.loop.flush()
        }
    }

    /// `disconnect`: closes another connection with a last `forbidden` line.
    func disconnect(_ id: JSONValue, _ connection: UInt64) -> [UInt8] {
        guard connection != registration else {
            return server.refusal(id, .badRequest("connection \(connection) is this one; close it yourself", field: "connection"))
        }
        let reason = WireErrorLine(code: .forbidden, message: "an administrator (\(principal)) closed this connection")
        guard server.connections.disconnect(connection, reason: reason) else {
            return server.refusal(id, WireError(.notFound, "no open connection \(connection)", details: ["field": "connection"]))
        }
        logger.notice("disconnected a connection", metadata: ["connection": "\(connection)"])
        return Response.ok(id, ["connection": .integer(Int64(connection)), "closed": true])
    }
}
