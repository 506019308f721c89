import AccordClient
import AccordCore
import Agreements
import EventStore
import Foundation
import Registry

extension Follower {
    /// One connection to the primary: check who we are and what the
    /// primary signed, then copy from our head while checking each new
    /// checkpoint; returns or throws when the connection ends.
    func session() async throws {
        setLifecycle(.connecting)
        var client = configuration.client
        client.reconnect = .never
        client.pushBufferLines = max(client.pushBufferLines, configuration.batchEvents * 2)
        client.requestTimeout = .seconds(30)
        try await AccordClient.connect(client) { client in
            try self.checkRole(client)
            try await self.consider(try await client.checkpoint(), client: client, first: true)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.copy(from: client) }
                group.addTask {
                    while true {
                        try await Task.sleep(for: self.configuration.verifyInterval)
                        try await self.consider(try await client.checkpoint(), client: client, first: false)
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// A primary that asks for tokens must have given this replica the `replica` role.
    private func checkRole(_ client: AccordClient) throws {
        guard client.info["authRequired"] == .bool(true) else { return }
        let role = client.identity["role"]?.stringValue ?? "none"
        guard role == "replica" else {
            throw ReplicationError.configuration(
                "the follow token's role on \(primary) is \(role), not replica (accord token create NAME --role replica)")
        }
    }

    /// Copies a large backlog as the primary stores it, then subscribes from
    /// this replica's head and copies each batch of what arrives in one commit.
    private func copy(from client: AccordClient) async throws {
        let backlog = progress.withLock { $0.primaryHead } &- store.head
        // Rebuilding every projection costs about what projecting a sixteenth of the log does.
        var bulk = backlog >= 10_000 && backlog >= store.head / 16
        // Projections level when the bulk copy begins are continued by folding its pages as they arrive.
        var folded: (state: RegisterState, delta: RegisterDelta, from: Position)?
        if bulk {
            setLifecycle(.catchingUp)
            let (from, level) = (store.head, try registry.levelState(store))
            let delta = try await copyStoredRecords(from: client, folding: level != nil)
            folded = level.map { ($0, delta, from) }
        } else {
            try projectIfBehind()
        }
        let start = store.head
        let subscription = try await client.subscribe(from: .position(start))
        var iterator = subscription.makeAsyncIterator()
        var caughtUp = false
        setLifecycle(.catchingUp)
        logger.info(
            "replication: copying", metadata: ["primary": "\(primary)", "from": "\(start)", "bulk": "\(bulk)", "backlog": "\(backlog)"])
        var batch: [RecordedEvent] = []
        batch.reserveCapacity(configuration.batchEvents)
        while let first = try await iterator.next() {
            var message: SubscriptionMessage? = first
            while let current = message {
                switch current {
                case .event(let event): batch.append(event)
                case .caughtUp(let head):
                    caughtUp = true
                    progress.withLock { $0.primaryHead = max($0.primaryHead, head) }
                }
                message = batch.count < configuration.batchEvents && subscription.buffered > 0 ? try await iterator.next() : nil
            }
            if !batch.isEmpty {
                let (events, projecting) = (batch, !bulk)
                _ = try await commit(first: events[0].position, count: events.count) {
                    try await self.store.copy(events, projecting: projecting)
                }
            }
            batch.removeAll(keepingCapacity: true)
            if bulk, caughtUp {
                try projectIfBehind(folded)
                bulk = false
            }
            if caughtUp, subscription.buffered == 0 { level() }
        }
        throw ClientError.connectionLost(serverSaid: "the primary ended the subscription")
    }

    /// Writes a batch of `count` copied events from position `first` with
    /// `copy`, then checks a waiting checkpoint the copy has now reached;
    /// returns the head after it.
    func commit(first: Position, count: Int, _ copy: @Sendable () async throws -> Position) async throws -> Position {
        let head: Position
        do {
            head = try await copy()
        } catch let error as EventStoreError {
            switch error {
            // A full store is retried (it may be grown); anything else, a rule refusing an event the primary
            // accepted included (reported as a failed commit), means the copy cannot continue as it is.
            case .shuttingDown, .storageFull, .readOnly: throw error
            default: throw ReplicationError.diverged("the event at position \(first) or after could not be copied: \(error)")
            }
        } catch {
            // The rules refused an event the primary accepted.
            throw ReplicationError.diverged("an event from position \(first) was refused here: \(error)")
        }
        metrics.copied.increment(by: count)
        metrics.commits.increment()
        let pending = progress.withLock { state in
            state.eventsCopied += UInt64(count)
            state.primaryHead = max(state.primaryHead, head)
            return state.pending
        }
        if let pending, pending.checkpoint.checkpoint.size <= head { try verifyRoot(pending.checkpoint, key: pending.key) }
        return head
    }

    /// Brings the projections level with the log after a bulk copy: from
    /// the pages it folded, when it did, else by folding the whole log (also
    /// after a bulk copy interrupted before a restart).
    private func projectIfBehind(_ folded: (state: RegisterState, delta: RegisterDelta, from: Position)? = nil) throws {
        let started = ContinuousClock.now
        if let folded {
            try registry.attach(store, continuing: folded.state, with: folded.delta, from: folded.from)
        } else {
            guard try registry.attach(store) else { return }
        }
        logger.notice(
            "replication: projections rebuilt after a bulk copy",
            metadata: ["head": "\(store.head)", "folded": "\(folded != nil)", "took": "\(ContinuousClock.now - started)"])
    }

    /// Nothing is left to copy: the replica is level with the primary.
    private func level() {
        progress.withLock { state in
            state.levelAt = .now
            if case .catchingUp = state.lifecycle {
                state.lifecycle = .following
                logger.info("replication: level with the primary; following live", metadata: ["head": "\(store.head)"])
            }
        }
    }
}
