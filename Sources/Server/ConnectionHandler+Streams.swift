import AccordCore
import AccordJSON
import NIOPosix
import WireProtocol

extension ConnectionHandler {
    /// `subscribe`: the response first, then pushes from the position.
    func startSubscription(_ ticket: Ticket, _ command: SubscribeCommand) {
        let store = server.store
        let from: Position
        switch command.from {
        case .start: from = 0
        case .end: from = store.head
        case .position(let position):
            do {
                try Operations.notPastHead(position, member: "from", head: store.head)
            } catch {
                return finish(ticket, server.failure(ticket.id, op: "subscribe", error))
            }
            from = position
        }
        guard let name = nextStreamName("s", ticket) else { return }
        let stream = SubscriptionStream(
            name: name, startedBy: ticket.sequence, from: from,
            filter: EventFilter(command.selection, registry: server.operations.registry),
            chunk: server.configuration.subscriptionChunk)
        add(stream)
        finish(ticket, Response.ok(ticket.id, ["sub": .string(name), "from": .integer(Int64(from))]))
    }

    /// `watch`: the projection's rows now (read on the blocking pool), then its changes.
    func startWatch(_ ticket: Ticket, _ command: WatchCommand) {
        guard let name = nextStreamName("w", ticket) else { return }
        let operations = server.operations
        let query = WatchQuery(
            name: name, store: operations.store, registry: operations.registry, command: command, on: operations.on(command.on, .head),
            cache: server.watches)
        let onLoop = onLoop
        server.backgroundWork.submit(.query) {
            let snapshot = Result { try query.snapshot() }
            onLoop { $0.watchStarted(ticket, query, snapshot) }
        }
    }

    private func watchStarted(
        _ ticket: Ticket, _ query: WatchQuery, _ snapshot: Result<(members: [String: JSONValue], position: Position), any Error>
    ) {
        let id = ticket.id
        switch snapshot {
        case .success(let (members, position)):
            guard state.isReading else {
                return finish(ticket, server.refusal(id, WireError(.shuttingDown, "the connection is closing")))
            }
            add(WatchStream(query: query, startedBy: ticket.sequence, from: position))
            finish(ticket, Response.ok(id, .object(JSONObject(members))))
        case .failure(let error):
            finish(ticket, server.failure(id, op: "watch", error))
        }
    }

    /// `unsubscribe`/`unwatch`: no pushed line of it follows the response.
    func stopStream(_ ticket: Ticket, name: String, subscription: Bool) {
        let kind = subscription ? "subscription" : "watch"
        guard let stream = streams[name], (stream is SubscriptionStream) == subscription else {
            return finish(ticket, server.refusal(ticket.id, WireError(.notFound, "no \(kind) named \(name) on this connection")))
        }
        stream.stop(self, announceShutdown: false)
        remove(name)
        finish(ticket, Response.ok(ticket.id, .object([:])))
    }

    /// Ends a stream that failed, telling the client why in a last `closed`
    /// line (`damaged` for damaged storage, else `failed`).
    func endStream(_ name: String, because error: any Error) {
        guard let stream = streams[name] else { return }
        stream.stop(self, announceShutdown: false)
        let wire = WireError(error)
        if wire.code == .damaged { server.operations.damage.noteRead(wire.message) }
        let isWatch = stream is WatchStream
        write(Push.ended(sub: isWatch ? nil : name, watch: isWatch ? name : nil, damaged: wire.code == .damaged, message: wire.message))
        remove(name)
    }

    /// Ends every stream (on shutdown, with a `closed` line each).
    func stopStreams(announceShutdown: Bool) {
        for stream in streams.values { stream.stop(self, announceShutdown: announceShutdown) }
        for name in Array(streams.keys) { remove(name) }
    }

    /// Every stream takes its step, once its starting response is written.
    func pumpStreams() {
        guard state.isReading else { return }
        for stream in Array(streams.values) where state.written > stream.startedBy {
            stream.pump(self)
        }
    }

    /// A stream yielded the loop with more to push: continue on a later turn.
    func pumpLater() {
        guard !pumpScheduled, !state.isClosed else { return }
        pumpScheduled = true
        loop.eventLoop.assumeIsolated().execute { [self] in
            pumpScheduled = false
            pumpStreams()
            loop.flush()
        }
    }

    private func nextStreamName(_ prefix: String, _ ticket: Ticket) -> String? {
        let most = server.configuration.maxPushersPerConnection
        guard streams.count < most else {
            let error = WireError(.overloaded, "a connection may run at most \(most) subscriptions and watches; unsubscribe one first")
            finish(ticket, server.refusal(ticket.id, error))
            return nil
        }
        nextStreamNumber += 1
        return prefix + String(nextStreamNumber)
    }

    private func add(_ stream: any PushStream) {
        streams[stream.name] = stream
        loop.setStreaming(self, true)
        server.metrics.activePushers.add(1, ordering: .relaxed)
    }

    private func remove(_ name: String) {
        guard streams.removeValue(forKey: name) != nil else { return }
        server.metrics.activePushers.subtract(1, ordering: .relaxed)
        if streams.isEmpty { loop.setStreaming(self, false) }
    }
}
