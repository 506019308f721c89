import AccordCore
import EventStore
import NIOPosix
import WireProtocol

/// Pushes every change of one projection (register rows, one recipient's
/// rows, or law-enforcement statistics rows) after the snapshot its `watch`
/// answered. Each step reads the changes since the last one, on the loop
/// when they are a few events' (a commit's, shared with every other watch),
/// else on NIO's blocking pool (a watcher far behind may have many events
/// to scan), and writes them on the connection's loop while the socket
/// takes them.
final class WatchStream: PushStream {
    let name: String
    let startedBy: UInt64
    private let query: WatchQuery
    private var next: Position
    private var stepping = false
    private var stopped = false
    /// Steps of at most this many events are taken on the loop.
    private static let stepOnLoopUpTo: Position = 64

    init(query: WatchQuery, startedBy: UInt64, from position: Position) {
        name = query.name
        self.query = query
        self.startedBy = startedBy
        next = position
    }

    func pump(_ connection: ConnectionHandler) {
        let head = query.store.head
        guard !stopped, !stepping, connection.isWritable, next < head else { return }
        // Level with the head, a step is one commit's changes, which every
        // watch shares (`WatchCache`): the first watch on a loop computes
        // them, the others copy them; a trip to the blocking pool and back
        // would cost each watch more than that.
        if head - next <= Self.stepOnLoopUpTo {
            return stepped(Result { try self.query.changes(since: next) }, on: connection)
        }
        stepping = true
        let (query, from, bound, executor, name) = (query, next, connection.bound, connection.loop.executor, name)
        connection.server.backgroundWork.submit(.query) {
            let step = Result { try query.changes(since: from) }
            executor.execute {
                let connection = bound.value
                (connection.streams[name] as? WatchStream)?.stepped(step, on: connection)
            }
        }
    }

    private func stepped(_ step: Result<(lines: [UInt8], reached: Position), any Error>, on connection: ConnectionHandler) {
        stepping = false
        guard !stopped else { return }
        switch step {
        case .success(let changes):
            next = max(next, changes.reached)
            if !changes.lines.isEmpty { connection.write(changes.lines) }
            pump(connection)
        case .failure(let error):
            connection.logger.warning("a watch ended", metadata: ["watch": "\(name)", "error": "\(error)"])
            connection.endStream(name, because: error)
        }
    }

    func stop(_ connection: ConnectionHandler, announceShutdown: Bool) {
        stopped = true
        if announceShutdown { connection.write(Push.closed(watch: name)) }
    }
}
