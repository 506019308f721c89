import Synchronization

/// Mutable state that only the holder of the writer role touches.
///
/// It may be created anywhere and passed between threads (it is `Sendable`);
/// every read and write checks, in debug builds, that the current thread
/// holds the role. This is the one place the writer's unsynchronised state is
/// declared safe to share, and why: the role is a lock.
public final class WriterBound<Value>: @unchecked Sendable {
    private var stored: Value

    public init(_ value: Value) {
        stored = value
    }

    /// The state, for the role's holder.
    public var value: Value {
        _read {
            WriterRole.assertHeld()
            yield stored
        }
        _modify {
            WriterRole.assertHeld()
            yield &stored
        }
    }
}
