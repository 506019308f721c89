import Synchronization

/// Collects values from concurrent tasks (acknowledged ids and the like).
public final class Collector<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    public init() {}

    public func append(_ value: Value) { values.withLock { $0.append(value) } }

    public var all: [Value] { values.withLock { $0 } }
}
