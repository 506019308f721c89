import AccordCore
import NIOCore
import Synchronization

/// The open connections, so that shutdown can drain every one of them.
final class ConnectionRegistry: Sendable {
    /// One connection: its channel, and how to ask it to drain (on its loop).
    struct Entry: Sendable {
        let channel: any Channel
        let drain: @Sendable () -> Void
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
        for entry in entries { entry.drain() }
    }
}
