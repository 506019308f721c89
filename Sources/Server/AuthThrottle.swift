import NIOCore
import Synchronization

/// Makes guessing tokens slow, and its log short: failed `hello`s from one
/// peer address are answered one after another, each later than the last
/// by a delay that doubles with every failure (from `baseDelay` up to
/// `maxDelay`), so a guesser gets at most one answer per delay however many
/// connections it opens; a success is answered at once. A peer is
/// forgotten after `forgetAfter` without a failure. Failures are logged as a
/// summary: the first from a peer at once, then one line per peer per
/// `summaryInterval` with the count since the last line.
///
/// Bounded: at most `maxPeers` addresses are tracked; beyond that, new
/// addresses share one entry (so a guesser with many addresses slows
/// itself and the other unknowns, never the peers already tracked).
final class AuthThrottle: Sendable {
    struct Settings: Sendable {
        var baseDelay: TimeAmount = .milliseconds(100)
        var maxDelay: TimeAmount = .seconds(5)
        var forgetAfter: TimeAmount = .minutes(10)
        var summaryInterval: TimeAmount = .minutes(1)
        var maxPeers = 10_000
    }

    /// What to do about one failure.
    struct Verdict: Equatable {
        /// When to send the refusal.
        let answerAt: NIODeadline
        /// Failures from this peer to log now (`nil`: not yet, a later line counts this one).
        let logCount: Int?
    }

    private struct Peer {
        var failures = 0
        var nextAnswer: NIODeadline
        var lastFailure: NIODeadline
        var unlogged = 0
        var loggedAt: NIODeadline?
    }

    private static let others = "(other addresses)"
    let settings: Settings
    private let peers = Mutex<[String: Peer]>([:])

    init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Records a failed `hello` from `peer` at `now`.
    func failed(peer: String, now: NIODeadline) -> Verdict {
        peers.withLock { peers in
            if peers.count >= settings.maxPeers, peers[peer] == nil { forgetIdle(&peers, now: now) }
            let key = peers.count >= settings.maxPeers && peers[peer] == nil ? Self.others : peer
            var entry = peers[key] ?? Peer(nextAnswer: now, lastFailure: now)
            if now - entry.lastFailure > settings.forgetAfter { entry = Peer(nextAnswer: now, lastFailure: now) }
            entry.failures += 1
            entry.lastFailure = now
            let doubling = min(entry.failures - 1, 16)
            let delay = min(settings.baseDelay.nanoseconds << doubling, settings.maxDelay.nanoseconds)
            entry.nextAnswer = max(now, entry.nextAnswer) + .nanoseconds(delay)
            entry.unlogged += 1
            var logCount: Int?
            if entry.loggedAt.map({ now - $0 >= settings.summaryInterval }) ?? true {
                logCount = entry.unlogged
                entry.unlogged = 0
                entry.loggedAt = now
            }
            peers[key] = entry
            return Verdict(answerAt: entry.nextAnswer, logCount: logCount)
        }
    }

    /// Addresses tracked now.
    var count: Int { peers.withLock { $0.count } }

    private func forgetIdle(_ peers: inout [String: Peer], now: NIODeadline) {
        peers = peers.filter { now - $0.value.lastFailure <= settings.forgetAfter }
    }
}
