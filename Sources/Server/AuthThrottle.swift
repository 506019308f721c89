import NIOCore
import Synchronization

/// Makes guessing tokens slow, and its log short.
///
/// An address with no failed `hello` is never delayed. Once one has failed,
/// every later `hello` from that address (right or wrong, on any
/// connection) is checked only at its turn: turns are one after another,
/// each later than the last by a delay that doubles with every failure
/// (from `baseDelay` up to `maxDelay`). So a guesser gets at most one
/// verdict per delay however many connections it opens, and a `hello`
/// whose turn is more than `maxBacklog` away is refused at once without
/// being checked. An address is forgotten after `forgetAfter` without a
/// failure. Failures are logged as a summary: the first from an address at
/// once, then one line per address per `summaryInterval` with the count.
///
/// Bounded: at most `maxPeers` addresses are tracked; beyond that, new
/// addresses share one entry (a guesser with many addresses slows itself
/// and the other unknown addresses, never those already tracked).
final class AuthThrottle: Sendable {
    struct Settings: Sendable {
        var baseDelay: TimeAmount = .milliseconds(100)
        var maxDelay: TimeAmount = .seconds(5)
        var maxBacklog: TimeAmount = .seconds(30)
        var forgetAfter: TimeAmount = .minutes(10)
        var summaryInterval: TimeAmount = .minutes(1)
        var maxPeers = 10_000
    }

    /// When a `hello` may be checked.
    enum Admission: Equatable {
        case now
        case at(NIODeadline)
        /// Its turn is too far away: refuse it unchecked.
        case refused
    }

    private struct Peer {
        var failures = 0
        var nextTurn: NIODeadline
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

    /// A `hello` from `peer` at `now`: when it may be checked (taking that turn).
    func admit(peer: String, now: NIODeadline) -> Admission {
        peers.withLock { peers in
            let key = peers[peer] != nil ? peer : Self.others
            guard var entry = peers[key], now - entry.lastFailure <= settings.forgetAfter else { return .now }
            let turn = max(now, entry.nextTurn)
            guard turn - now <= settings.maxBacklog else { return .refused }
            entry.nextTurn = turn + delay(after: entry.failures)
            peers[key] = entry
            return turn == now ? .now : .at(turn)
        }
    }

    /// A `hello` from `peer` failed at `now`: the failures to log now, or
    /// `nil` (a later summary line counts this one).
    func failed(peer: String, now: NIODeadline) -> Int? {
        peers.withLock { peers in
            if peers.count >= settings.maxPeers, peers[peer] == nil {
                peers = peers.filter { now - $0.value.lastFailure <= settings.forgetAfter }
            }
            let key = peers.count >= settings.maxPeers && peers[peer] == nil ? Self.others : peer
            var entry = peers[key] ?? Peer(nextTurn: now, lastFailure: now)
            if now - entry.lastFailure > settings.forgetAfter { entry = Peer(nextTurn: now, lastFailure: now) }
            entry.failures += 1
            entry.lastFailure = now
            entry.nextTurn = max(entry.nextTurn, now + delay(after: entry.failures))
            entry.unlogged += 1
            var logCount: Int?
            if entry.loggedAt.map({ now - $0 >= settings.summaryInterval }) ?? true {
                logCount = entry.unlogged
                entry.unlogged = 0
                entry.loggedAt = now
            }
            peers[key] = entry
            return logCount
        }
    }

    /// Addresses tracked now.
    var count: Int { peers.withLock { $0.count } }

    private func delay(after failures: Int) -> TimeAmount {
        guard failures > 0 else { return .zero }
        let doubling = min(failures - 1, 16)
        return .nanoseconds(min(settings.baseDelay.nanoseconds << doubling, settings.maxDelay.nanoseconds))
    }
}
