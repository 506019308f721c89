import Foundation
import Synchronization

/// A named thread that is joined, not abandoned: `join()` returns once the
/// thread's body has returned and everything it held is released, so closing
/// a store closes its environment before `close()` returns.
final class WriterThread: Sendable {
    private let thread: pthread_t
    /// Whether it was joined: joining twice is undefined, so later callers
    /// wait for the first join and return.
    private let joined = Mutex(false)

    /// Starts `body` on a new thread named `name` (at most 15 bytes).
    init(name: String, _ body: @escaping @Sendable () -> Void) {
        // Linux refuses a longer name, and the thread would keep its parent's.
        precondition(name.utf8.count <= 15, "thread name \(name) is longer than 15 bytes")
        let box = Unmanaged.passRetained(Body(name: name, run: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                Thread.current.name = body.name
                body.run()
                return nil
            }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        self.thread = thread
    }

    /// Waits for the thread to end. Safe to call more than once, from any thread.
    func join() {
        joined.withLock { joined in
            guard !joined else { return }
            pthread_join(thread, nil)
            joined = true
        }
    }

    private final class Body {
        let name: String
        let run: @Sendable () -> Void

        init(name: String, run: @escaping @Sendable () -> Void) {
            self.name = name
            self.run = run
        }
    }
}
