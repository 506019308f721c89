import AccordCore
import CoreMetrics
import EventStore
import Synchronization

/// The lifecycle shared by subscriptions and watches: running until stopped
/// by `unsubscribe`/`unwatch`, by the connection ending, or by shutdown.
final class PusherControl: Sendable {
    enum Stop: Sendable, Equatable {
        /// The client asked; nothing more is pushed.
        case requested
        /// The server is shutting down; a last `closed` line is pushed.
        case shuttingDown
        /// The connection is gone.
        case disconnected
    }

    private let stop = Mutex<Stop?>(nil)
    /// Settled once the pusher has ended.
    private let ended = Eventual<Void>()
    let wakeup: Wakeup
    /// Where each step's distance behind the head is recorded (metrics).
    let lag: Recorder?

    init(wakeup: Wakeup, lag: Recorder? = nil) {
        self.wakeup = wakeup
        self.lag = lag
    }

    var stopReason: Stop? { stop.withLock { $0 } }

    func stop(_ reason: Stop) {
        stop.withLock { if $0 == nil { $0 = reason } }
        wakeup.wake()
    }

    /// Called by the pusher as it ends.
    func finish() {
        wakeup.cancel()
        ended.succeed()
    }

    /// Returns once the pusher has ended (or the waiting task is cancelled).
    func finished() async {
        _ = try? await ended.wait()
    }
}

extension PusherControl {
    /// The loop every pusher runs: while behind the log's head, take a step
    /// (read from the log, write lines); when level with it, write what
    /// `level` returns (once caught up, say) and sleep until woken. Ends when
    /// stopped or when the connection fails; on shutdown writes `closed`.
    func run(
        from start: Position, head: () -> Position, output: Output, closed: [UInt8],
        step: (Position) async throws -> (lines: [UInt8], reached: Position),
        level: (Position) -> [UInt8]? = { _ in nil }
    ) async {
        defer { finish() }
        var next = start
        var wakeups = wakeup.stream.makeAsyncIterator()
        do {
            while stopReason == nil {
                let head = head()
                if next < head {
                    lag?.record(Int64(head - next))
                    let (lines, reached) = try await step(next)
                    if !lines.isEmpty { try await output.write(lines) }
                    next = reached
                    continue
                }
                if let line = level(next) { try await output.write(line) }
                guard await wakeups.next() != nil else { break }
            }
            if stopReason == .shuttingDown { try await output.write(closed) }
        } catch {
            // The connection is gone or the log could not be read; the client reconnects.
        }
    }
}
