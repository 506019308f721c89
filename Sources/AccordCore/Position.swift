/// A place in the global log. Events occupy positions `0..<head`, dense and
/// gap-free, in commit order; the log's head is also its length.
public typealias Position = UInt64

/// An event's place in its own stream: `0` for the first event, dense.
public typealias StreamVersion = UInt64
