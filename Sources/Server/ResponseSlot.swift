import AccordCore

/// One response's place in a connection's output order.
///
/// The reader makes a slot per request, each knowing the one before it.
/// Whoever computes a response delivers it through its slot: the slot waits
/// until the previous response is written, writes its own, and is then marked
/// written. A response that is ready in turn (the common case) is written by
/// the task that computed it, with no hand-off to another task.
final class ResponseSlot: Sendable {
    private let previous: ResponseSlot?
    private let output: Output
    /// Settled once this response is written (or dropped).
    let written = Eventual<Void>()

    init(after previous: ResponseSlot?, output: Output) {
        self.previous = previous
        self.output = output
    }

    var isWritten: Bool { written.isResolved }

    /// Writes `line` once every earlier response is written. A failed write
    /// (the client left) is ignored: later responses are dropped the same way.
    func deliver(_ line: [UInt8]) async {
        // Cancelled only when the connection is torn down: nothing more is written then.
        if let previous, (try? await previous.written.wait()) == nil {
            written.succeed()
            return
        }
        if !line.isEmpty { try? await output.write(line) }
        written.succeed()
    }
}
