import AccordClient
import AccordCore
import AccordJSON
import Checkpoints
import EventStore
import Logging
import Registry
import ServiceLifecycle
import Synchronization
import Transparency
import WireProtocol

/// A replica's copy of its primary's log (`accord serve --follow`), as a
/// swift-service-lifecycle `Service`.
///
/// It subscribes to the primary from its own head and writes what arrives
/// with `EventStore.copy` (same positions, versions, commit times,
/// principals and bytes), so its projections and Merkle tree are its own
/// and equal the primary's. Every `verifyInterval` it fetches the primary's
/// signed checkpoint, checks the signature and a consistency proof from the
/// last checkpoint it verified, and once its copy reaches the checkpoint's
/// size, that its own root there is the checkpoint's root; the verified
/// checkpoint is stored (`VerifiedCheckpoints`). A mismatch stops copying
/// for good (`stopped` in `health`, `accord_replica_diverged` 1, an error in
/// the log) and keeps everything copied; a lost connection is retried with
/// backoff, resuming from the replica's head. A large backlog (a new
/// replica, a long outage) is copied as the primary stores it
/// (`read_records`), without the append hook: each page is folded into the
/// projections' delta as it arrives and the projections are written once
/// level, several times faster than projecting event by event, as the
/// primary did.
public final class Follower: Service, PrimaryLink {
    let configuration: FollowerConfiguration
    let store: EventStore
    /// Folds the pages of a bulk copy and brings its projections level.
    let registry: Registry
    /// The primary's checkpoints this replica verified: what its `checkpoint` answers.
    public let checkpoints: VerifiedCheckpoints
    let progress: Mutex<ReplicationProgress>
    let metrics = ReplicaMetrics()
    let logger: Logger
    let auditQueue: AsyncStream<(AuditedReadRequest, @Sendable (Result<Void, any Error>) -> Void)>
    let auditIntake: AsyncStream<(AuditedReadRequest, @Sendable (Result<Void, any Error>) -> Void)>.Continuation

    public init(
        configuration: FollowerConfiguration, store: EventStore, registry: Registry, checkpoints: VerifiedCheckpoints, logger: Logger
    ) throws {
        self.configuration = configuration
        self.store = store
        self.registry = registry
        self.checkpoints = checkpoints
        self.logger = logger
        (auditQueue, auditIntake) = AsyncStream.makeStream()
        let marker = try ReplicaMarker.load(from: configuration.dataDirectory) ?? ReplicaMarker(primary: configuration.primary)
        progress = Mutex(ReplicationProgress(marker: marker))
        // The newest checkpoint verified before a restart is where verification resumes.
        if let text = try checkpoints.storedText() {
            let stored = try SignedCheckpoint.unverified(text: text)
            progress.withLock {
                $0.verified = stored
                $0.primaryHead = stored.size
            }
            // Served again at once (it was verified before it was stored), with the key that signed it.
            if let pinned = try configuration.trustedKey ?? marker.key.map(NoteVerifierKey.init(text:)) {
                let signer = try KeyChain(store: store).signer(forSize: stored.size) ?? pinned
                if let signed = try? SignedCheckpoint(text: text, verifiedBy: signer) { try checkpoints.record(signed, key: signer) }
            }
        }
    }

    public var primary: String { configuration.primary }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.forwardAudits() }
                group.addTask { await cancelWhenGracefulShutdown { await self.follow() } }
            }
        } onGracefulShutdown: {
            self.auditIntake.finish()
        }
    }

    public func replicationHealth() -> JSONValue {
        let head = store.head
        return progress.withLock { $0.health(primary: primary, head: head, maxLag: configuration.maxLag, now: .now) }
    }

    /// Copies until cancelled: each session connects, verifies and copies;
    /// a lost connection is retried (0.25 s doubling to 10 s); a mismatch
    /// ends copying, and this waits for shutdown.
    func follow() async {
        var delay = Duration.milliseconds(250)
        while !Task.isCancelled {
            do {
                try await session()
                delay = .milliseconds(250)
            } catch let error as ReplicationError where error.stopsReplication {
                stop(error)
                break
            } catch is CancellationError {
                return
            } catch EventStoreError.shuttingDown {
                return
            } catch {
                guard !Task.isCancelled else { return }
                let why = (error as? ClientError)?.description ?? String(describing: error)
                logger.warning(
                    "replication: \(Self.kind(of: error)); retrying",
                    metadata: ["primary": "\(primary)", "error": "\(why)", "in": "\(delay)"])
                setLifecycle(.disconnected(why))
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3_600)) }
    }

    /// Says what went wrong as it was: a primary that did not answer in time
    /// is slow (or the link is), not unreachable; a refused connection is.
    static func kind(of error: any Error) -> String {
        switch error {
        case ClientError.timedOut: "the primary (or the link to it) is slow: no answer in time"
        case ClientError.connectFailed: "the primary is unreachable"
        case ClientError.connectionLost: "the connection to the primary was lost"
        case ClientError.server(let code, _, _): "the primary refused a request (\(code.rawValue))"
        default: "copying from the primary failed"
        }
    }

    private func stop(_ error: ReplicationError) {
        logger.critical(
            "replication STOPPED: \(error). Everything copied so far is kept; the replica still answers reads. An operator must act.",
            metadata: ["primary": "\(primary)", "head": "\(store.head)"])
        setLifecycle(.stopped(error.description))
        if case .diverged = error { metrics.diverged.record(1) }
    }

    func setLifecycle(_ lifecycle: ReplicationProgress.Lifecycle) {
        progress.withLock { $0.lifecycle = lifecycle }
        switch lifecycle {
        case .catchingUp, .following: metrics.connected.record(1)
        case .connecting, .disconnected, .stopped: metrics.connected.record(0)
        }
        refreshMetrics()
    }

    /// Sets the sampled gauges (lag, heads, verified size).
    public func refreshMetrics() {
        let head = store.head
        let (lag, seconds, primaryHead, verified) = progress.withLock { state in
            (
                state.primaryHead > head ? state.primaryHead - head : 0, state.lagSeconds(now: .now, head: head), state.primaryHead,
                state.verified?.size ?? 0
            )
        }
        metrics.lagPositions.record(Int64(lag))
        metrics.lagSeconds.record(seconds.isFinite ? seconds : -1)
        metrics.primaryHead.record(Int64(primaryHead))
        metrics.verifiedSize.record(Int64(verified))
    }
}
