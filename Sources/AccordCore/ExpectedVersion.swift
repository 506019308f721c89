import AccordJSON

/// What a writer believes about a stream before appending to it (optimistic
/// concurrency). A mismatch throws `EventStoreError.wrongExpectedVersion` and
/// writes nothing.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream holds.
    case any
    /// The stream must have no events yet.
    case noStream
    /// The stream must have at least one event.
    case streamExists
    /// The stream's last event must have exactly this version.
    case exact(StreamVersion)

    /// Whether a stream whose last version is `current` (`nil`: no events) satisfies this.
    public func isSatisfied(by current: StreamVersion?) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == nil
        case .streamExists: current != nil
        case .exact(let version): current == version
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no_stream"
        case .streamExists: "exists"
        case .exact(let version): String(version)
        }
    }
}

extension ExpectedVersion {
    /// The wire form: an integer, `"any"`, `"no_stream"` or `"exists"`.
    public var json: JSONValue {
        switch self {
        case .any: "any"
        case .noStream: "no_stream"
        case .streamExists: "exists"
        case .exact(let version): .integer(Int64(version))
        }
    }
}
