import AccordCore
import Synchronization

/// Lines pushed for one subscription or watch, waiting for the application:
/// filled on the connection's event loop, drained by one consuming task.
///
/// Bounded by the connection's `pushBufferLines`: past it the connection
/// stops reading from the socket, and resumes when the consumer has taken
/// half of them, so a slow application slows the server's pushes (which the
/// server absorbs by reading its log later) instead of growing memory.
final class PushBuffer<Element: Sendable>: Sendable {
    private struct State {
        var queue: [Element] = []
        var head = 0
        var waiter: Eventual<Void>?
        var end: Result<Void, any Error>?
        /// Whether this buffer has asked the connection to stop reading.
        var paused = false
    }

    private let state = Mutex(State())
    private let limit: Int
    /// Told when the buffer fills (`true`) and when it has room again (`false`).
    private let pressure: @Sendable (Bool) -> Void

    init(limit: Int, pressure: @escaping @Sendable (Bool) -> Void) {
        self.limit = max(2, limit)
        self.pressure = pressure
    }

    /// The elements waiting for the consumer.
    var count: Int { state.withLock { $0.queue.count - $0.head } }

    /// Adds an element for the consumer.
    func push(_ element: Element) {
        let (waiter, full) = state.withLock { state -> (Eventual<Void>?, Bool) in
            guard state.end == nil else { return (nil, false) }
            state.queue.append(element)
            defer { state.waiter = nil }
            let full = !state.paused && state.queue.count - state.head >= limit
            if full { state.paused = true }
            return (state.waiter, full)
        }
        waiter?.succeed()
        if full { pressure(true) }
    }

    /// Ends the stream after what is buffered: normally, or with `error`.
    func finish(_ error: (any Error)? = nil) {
        let (waiter, relieved) = state.withLock { state -> (Eventual<Void>?, Bool) in
            if state.end == nil { state.end = error.map { .failure($0) } ?? .success(()) }
            defer {
                state.waiter = nil
                state.paused = false
            }
            return (state.waiter, state.paused)
        }
        waiter?.succeed()
        if relieved { pressure(false) }
    }

    /// The next element; `nil` once finished and drained; throws the error it finished with.
    func next() async throws -> Element? {
        while true {
            let step = state.withLock {
                state -> (element: Element?, relieved: Bool, wait: Eventual<Void>?, end: Result<Void, any Error>?) in
                if state.head < state.queue.count {
                    let element = state.queue[state.head]
                    state.head += 1
                    let relieved = state.paused && state.queue.count - state.head <= limit / 2
                    if relieved { state.paused = false }
                    if state.head > 64, state.head * 2 > state.queue.count {
                        state.queue.removeFirst(state.head)
                        state.head = 0
                    }
                    return (element, relieved, nil, nil)
                }
                if let end = state.end { return (nil, false, nil, end) }
                let waiter = Eventual<Void>()
                state.waiter = waiter
                return (nil, false, waiter, nil)
            }
            if let element = step.element {
                if step.relieved { pressure(false) }
                return element
            }
            if let end = step.end {
                try end.get()
                return nil
            }
            try await step.wait?.wait()
        }
    }
}
