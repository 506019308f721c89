import AccordCore
import AccordJSON
import NIOCore
import NIOSSL
import Synchronization

/// A subscription or watch that outlives a connection.
protocol ResumableStream: AnyObject, Sendable {
    /// Starts again on a new connection, from where it stopped.
    func resume(on connection: ClientConnection) async
    /// Ends the stream with `error` (the client can no longer reconnect).
    func end(_ error: ClientError)
}
