/// A subscription or watch running on a connection's event loop: it pushes
/// lines while the connection is writable and it is behind the log's head,
/// and stops when the socket is full (resuming when it drains), so a slow
/// reader costs the server one chunk, never a growing buffer.
protocol PushStream: AnyObject {
    /// The stream's name on its connection (`s1`, `w2`).
    var name: String { get }
    /// The response that started it: nothing is pushed before it is written.
    var startedBy: UInt64 { get }
    /// Pushes what is due, as far as the socket takes it.
    func pump(_ connection: ConnectionHandler)
    /// Stops pushing; `announceShutdown` writes a last `closed` line.
    func stop(_ connection: ConnectionHandler, announceShutdown: Bool)
}
