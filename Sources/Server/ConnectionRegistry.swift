import AccordCore
import AccordJSON
import NIOCore
import Synchronization

/// The open connections: so that shutdown can drain every one of them, a
/// reload can re-check their tokens, and an admin can list and close them.
final class ConnectionRegistry: Sendable {
    /// One connection: its channel and its handler, reached on its own loop.
    struct Entry: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<ConnectionHandler>

        func onLoop(_ body: @escaping @Sendable (ConnectionHandler) -> Void) {
            let handler = handler
            handler.eventLoop.execute { body(handler.value) }
        }
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var next: UInt64 = 0
        var shuttingDown = false
    }

    private let state = Mutex(State())
    /// Settled once no connection is open after shutdown began.
    private let drained = Eventual<Void>()

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    var count: Int { state.withLock { $0.entries.count } }

    /// Registers a connection; returns its id, the open count with it, and
    /// whether the server is shutting down (the connection then drains at once).
    func add(_ entry: Entry) -> (id: UInt64, open: Int, shuttingDown: Bool) {
        state.withLock { state in
            state.next += 1
            state.entries[state.next] = entry
            return (state.next, state.entries.count, state.shuttingDown)
        }
    }

    func remove(_ id: UInt64) {
        let empty = state.withLock { state in
            state.entries.removeValue(forKey: id)
            return state.shuttingDown && state.entries.isEmpty
        }
        if empty { drained.succeed() }
    }

    /// Closes every connection now, failing writes that are waiting on slow clients.
    func closeAll() {
        for entry in state.withLock({ Array($0.entries.values) }) { entry.channel.close(promise: nil) }
    }

    /// Returns once shutdown has begun and no connection is open (or the
    /// waiting task is cancelled).
    func waitUntilEmpty() async {
        _ = try? await drained.wait()
    }

    /// Asks every connection to drain: stop reading, finish what it read,
    /// end its streams with a `closed` line, and close.
    func shutDown() {
        let entries = state.withLock { state in
            state.shuttingDown = true
            return Array(state.entries.values)
        }
        if entries.isEmpty { drained.succeed() }
        for entry in entries { entry.onLoop { $0.beginDrain(announceShutdown: true) } }
    }

    /// Every connection's summary (`connections`), each taken on its own
    /// loop, in the order the connections opened; delivered on `eventLoop`.
    func summaries(on eventLoop: any EventLoop) -> EventLoopFuture<[JSONValue]> {
        let entries = state.withLock { $0.entries.sorted { $0.key < $1.key } }
        let futures = entries.map { _, entry in
            let handler = entry.handler
            return handler.eventLoop.submit { handler.value.summary() }
        }
        return EventLoopFuture.whenAllComplete(futures, on: eventLoop).map { results in
            results.compactMap { try? $0.get() }.compactMap { $0 }
        }
    }

    /// Closes connection `id` with a last line saying why; `false` if no such connection is open.
    func disconnect(_ id: UInt64, reason: WireErrorLine) -> Bool {
        guard let entry = state.withLock({ $0.entries[id] }) else { return false }
        entry.onLoop { $0.close(saying: reason) }
        return true
    }

    /// Re-checks every authenticated connection against `tokens` (after a reload).
    func revalidate(_ tokens: TokenStore) {
        for entry in state.withLock({ Array($0.entries.values) }) { entry.onLoop { $0.revalidate(tokens) } }
    }
}

/// A final error line for a connection the server closes on its own.
struct WireErrorLine: Sendable {
    let code: ErrorCode
    let message: String
}
