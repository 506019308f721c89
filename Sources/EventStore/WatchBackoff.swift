/// When to watch instead of sleeping: after a watch that saw nothing
/// (its hand-off came too late), the next 2, 4, … up to 64 chances to watch
/// are passed up, so a watcher that keeps missing (a slow disk, a client
/// that pauses, a machine with more busy threads than processors) stops
/// spending a processor on it; a watch that sees its hand-off starts over.
public struct WatchBackoff: Sendable {
    private var misses = 0
    private var skips = 0

    /// The most chances one miss passes up.
    static let longestSkip = 64

    public init() {}

    /// Whether to watch this time (counting a chance passed up).
    public mutating func shouldWatch() -> Bool {
        guard skips == 0 else {
            skips -= 1
            return false
        }
        return true
    }

    /// How the watch ended: `seen`, when what it watched for came.
    public mutating func record(seen: Bool) {
        if seen {
            misses = 0
        } else {
            misses += 1
            skips = min(1 << min(misses, 6), Self.longestSkip)
        }
    }
}
