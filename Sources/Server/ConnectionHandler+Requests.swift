import WireProtocol

/// Requests in order: each starts when the state machine lets it, on the
/// lane its work belongs to.
extension ConnectionHandler {
    /// Starts every request the state machine lets start, resumes a held
    /// read, and closes a drained connection; safe to call from anywhere on
    /// the loop (a nested call is folded into the running one).
    func drive() {
        guard !driving else {
            driveAgain = true
            return
        }
        driving = true
        defer { driving = false }
        repeat {
            driveAgain = false
            while let next = state.nextStart() { start(next.ticket, next.request) }
        } while driveAgain
        if state.shouldResumeReading() { context?.read() }
        if let mode = state.closeIfDrained() { close(mode) }
    }

    private func start(_ ticket: Ticket, _ request: Request) {
        if let refusal = gate(request) { return finish(ticket, refusal) }
        // A request that reads the log sees every append acknowledged before it (this connection's
        // among them): it waits while LMDB has not yet applied the write-ahead segment's last commits.
        if Self.readsTheLog(request.command), server.store.head < server.store.durableHead {
            let handler = bound
            return server.store.whenReadable(on: loop.executor) { result in
                let handler = handler.value
                // Closed meanwhile: the request counts as done, and nothing starts for it.
                guard !handler.state.isClosed else { return handler.finish(ticket, []) }
                switch result {
                case .success: handler.begin(ticket, request)
                case .failure(let error): handler.finish(ticket, handler.server.failure(ticket.id, op: ticket.op, error))
                }
            }
        }
        begin(ticket, request)
    }

    private func begin(_ ticket: Ticket, _ request: Request) {
        switch request.command {
        case .append(let append): startAppend(ticket, append)
        case .auditRead(let read): startAuditRead(ticket, read)
        case .publishEdition(let record): startPublishEdition(ticket, record)
        case .hello(let token, let client): hello(ticket, token: token, client: client)
        case .subscribe(let subscribe): startSubscription(ticket, subscribe)
        case .watch(let watch): startWatch(ticket, watch)
        case .unsubscribe(let name): stopStream(ticket, name: name, subscription: true)
        case .unwatch(let name): stopStream(ticket, name: name, subscription: false)
        case .connections: listConnections(ticket)
        case .disconnect(let connection): finish(ticket, disconnect(request.id, connection))
        case .ping:
            // The commonest query: answered here, in the loop's scratch.
            let head = server.store.durableHead
            finish(ticket) { Response.writePing(ticket.id, head: head, into: &$0) }
        default: startQuery(ticket, request)
        }
    }

    /// Whether a request reads the log or its projections, and so must see
    /// every append acknowledged before it.
    static func readsTheLog(_ command: Command) -> Bool {
        switch command {
        case .append, .hello, .ping, .unsubscribe, .unwatch, .connections, .disconnect: false
        default: true
        }
    }

    /// Where a request's work runs.
    static func work(_ command: Command) -> ConnectionStateMachine.Work {
        switch command {
        case .append, .auditRead, .publishEdition: .append
        case .hello: .exclusive
        case .watch: .pool
        default: Operations.lane(command) == nil ? .inline : .pool
        }
    }
}
