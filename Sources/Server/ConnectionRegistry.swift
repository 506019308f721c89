import AccordCore
import NIOCore
import Synchronization

/// The open connections, so that shutdown can stop reading from all of them.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [UInt64: any Channel] = [:]
        var next: UInt64 = 0
        var shuttingDown = false
    }

    private let state = Mutex(State())
    /// Settled once no connection is open after shutdown began.
    private let drained = Eventual<Void>()

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    var count: Int { state.withLock { $0.channels.count } }

    func add(_ channel: any Channel) -> UInt64 {
        let (id, closeNow) = state.withLock { state in
            state.next += 1
            state.channels[state.next] = channel
            return (state.next, state.shuttingDown)
        }
        if closeNow { channel.close(mode: .input, promise: nil) }
        return id
    }

    func remove(_ id: UInt64) {
        let empty = state.withLock { state in
            state.channels.removeValue(forKey: id)
            return state.shuttingDown && state.channels.isEmpty
        }
        if empty { drained.succeed() }
    }

    /// Closes every connection now, failing writes that are waiting on slow clients.
    func closeAll() {
        for channel in state.withLock({ Array($0.channels.values) }) { channel.close(promise: nil) }
    }

    /// Returns once shutdown has begun and no connection is open (or the
    /// waiting task is cancelled).
    func waitUntilEmpty() async {
        _ = try? await drained.wait()
    }

    /// Stops reading from every connection: each finishes what it started,
    /// ends its subscriptions with a `closed` line, and closes.
    func shutDown() {
        let channels = state.withLock { state in
            state.shuttingDown = true
            return Array(state.channels.values)
        }
        if channels.isEmpty { drained.succeed() }
        for channel in channels { channel.close(mode: .input, promise: nil) }
    }
}
