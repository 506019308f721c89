import NIOSSL

/// When a dropped connection is re-established. Requests in flight when it
/// drops fail (`connectionLost`); appends may be retried safely with the
/// same event ids. Subscriptions resume from the event after the last one
/// delivered; watches start again with a fresh snapshot.
public struct ReconnectPolicy: Sendable, Equatable {
    /// The first wait after a drop, doubled after each failed attempt up to `maximumDelay`.
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// Attempts after one drop before giving up; `nil` for ever.
    public var maximumAttempts: Int?

    public init(initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(10), maximumAttempts: Int? = nil) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    /// Never reconnect: a drop ends the client's streams with `connectionLost`.
    public static let never = ReconnectPolicy(initialDelay: .zero, maximumDelay: .zero, maximumAttempts: 0)
    /// Reconnect for ever, waiting 0.1 s to 10 s between attempts.
    public static let always = ReconnectPolicy()

    /// The wait before attempt `attempt` (0-based), with up to 20% jitter so
    /// that many clients do not return at once.
    func delay(attempt: Int) -> Duration {
        var delay = initialDelay
        for _ in 0..<min(attempt, 30) where delay < maximumDelay { delay *= 2 }
        delay = min(delay, maximumDelay)
        return delay * Double.random(in: 0.8...1.0)
    }
}
