import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The right to write: held by whoever runs a commit (the group-commit
/// thread), and by maintenance that touches the writer's state while no
/// commit runs (a rebuild resetting the projections' caches).
///
/// Only one thread holds it at a time. State that only the writer may touch
/// sits in a `WriterBound`, which checks (in debug builds) that the current
/// thread holds the role, as GRDB's `SchedulingWatchdog` checks that a
/// database is used on its queue.
public final class WriterRole: Sendable {
    private let lock = Mutex<Void>(())

    public init() {}

    /// Runs `body` holding the role, waiting for the current holder to finish.
    public func run<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        try lock.withLock { _ throws(E) -> R in
            precondition(!Self.isHeld, "the writer role is not re-entrant")
            Self.mark(true)
            defer { Self.mark(false) }
            return try body()
        }
    }

    /// Whether the current thread holds a writer role now.
    public static var isHeld: Bool { pthread_getspecific(threadKey) != nil }

    /// Stops a debug build when the current thread does not hold the role.
    public static func assertHeld(file: StaticString = #fileID, line: UInt = #line) {
        assert(isHeld, "writer state touched outside the writer role", file: file, line: line)
    }

    private static func mark(_ held: Bool) {
        pthread_setspecific(threadKey, held ? UnsafeRawPointer(bitPattern: 1) : nil)
    }
}

/// A thread-specific flag: set while the thread runs inside `WriterRole.run`.
private let threadKey: pthread_key_t = {
    var key = pthread_key_t()
    precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
    return key
}()
