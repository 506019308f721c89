import CoreMetrics
import EventStore
import Registry
import Synchronization

/// What the server reports through swift-metrics (exported by `accord serve`
/// in the Prometheus text format, see `MetricsEndpoint`). The factory is
/// passed in, never bootstrapped here: tests give each server its own.
///
/// | name | kind | meaning |
/// |---|---|---|
/// | `accord_append_duration_seconds` | histogram | request to durable acknowledgement, per append |
/// | `accord_events_appended_total` | counter | events written by acknowledged appends |
/// | `accord_errors_total{code}` | counter | error responses, by protocol error code |
/// | `accord_connections` | gauge | open connections |
/// | `accord_subscriptions` | gauge | running subscriptions and watches |
/// | `accord_subscription_lag_events` | histogram | events between a pusher's position and the head, at each step |
/// | `accord_subscription_events_total{source}` | counter | events subscriptions stepped through (pushed or filtered out), by `source`: `shared` (the loop's one read of the newest events) or `log` (read by the subscription itself, when behind) |
/// | `accord_head_position` | gauge | the log's length |
/// | `accord_map_used_bytes`, `accord_map_size_bytes`, `accord_map_max_bytes` | gauge | LMDB map use |
/// | `accord_agreement_cache_agreements`, `accord_agreement_cache_capacity` | gauge | decoded agreements the writer holds, and its bound |
/// | `accord_agreement_cache_dropped_total` | counter | agreements dropped from that cache (any: it has reached its bound) |
/// | `accord_scrub_position` | gauge | how far the running scrub pass has checked the log |
/// | `accord_scrub_passes_total` | counter | scrub passes finished |
/// | `accord_scrub_last_pass_timestamp_seconds` | gauge | when the last pass finished (Unix seconds) |
/// | `accord_scrub_findings` | gauge | what the last pass found damaged (0 when whole) |
/// | `accord_store_damaged` | gauge | 1 while the store is known to be damaged (health says `damaged`) |
/// | `accord_damaged_agreements` | gauge | agreements with a stored event this build cannot fold (named by `health` and the log) |
/// | `accord_appends_refused` | gauge | 1 while appends are refused (storage full since the last commit, fenced, closing) |
///
/// The event store adds `accord_commit_batch_events`, `accord_commit_duration_seconds` and `accord_storage_full_total`.
final class ServerMetrics: Sendable {
    let factory: any MetricsFactory
    let appendDuration: CoreMetrics.Timer
    let eventsAppended: Counter
    let connections: Gauge
    let subscriptions: Gauge
    let subscriptionLag: Recorder
    let pushedShared: Counter
    let pushedFromLog: Counter
    let head: Gauge
    let mapUsed: Gauge
    let mapSize: Gauge
    let mapMax: Gauge
    let cacheHeld: Gauge
    let cacheCapacity: Gauge
    let cacheDropped: Counter
    let damagedAgreements: Gauge
    let scrubPosition: Gauge
    let scrubPasses: Counter
    let scrubLastPass: Gauge
    let scrubFindings: Gauge
    let storeDamaged: Gauge
    let appendsRefused: Gauge
    /// What `cacheDropped` has been told so far (the cache counts on its own).
    private let cacheDroppedReported = Mutex<Int>(0)
    /// Running pushers; the gauge is set from it when scraped.
    let activePushers = Atomic<Int>(0)

    init(factory: any MetricsFactory) {
        self.factory = factory
        appendDuration = CoreMetrics.Timer(label: "accord_append_duration_seconds", factory: factory)
        eventsAppended = Counter(label: "accord_events_appended_total", factory: factory)
        connections = Gauge(label: "accord_connections", factory: factory)
        subscriptions = Gauge(label: "accord_subscriptions", factory: factory)
        subscriptionLag = Recorder(label: "accord_subscription_lag_events", factory: factory)
        pushedShared = Counter(label: "accord_subscription_events_total", dimensions: [("source", "shared")], factory: factory)
        pushedFromLog = Counter(label: "accord_subscription_events_total", dimensions: [("source", "log")], factory: factory)
        head = Gauge(label: "accord_head_position", factory: factory)
        mapUsed = Gauge(label: "accord_map_used_bytes", factory: factory)
        mapSize = Gauge(label: "accord_map_size_bytes", factory: factory)
        mapMax = Gauge(label: "accord_map_max_bytes", factory: factory)
        cacheHeld = Gauge(label: "accord_agreement_cache_agreements", factory: factory)
        cacheCapacity = Gauge(label: "accord_agreement_cache_capacity", factory: factory)
        cacheDropped = Counter(label: "accord_agreement_cache_dropped_total", factory: factory)
        damagedAgreements = Gauge(label: "accord_damaged_agreements", factory: factory)
        scrubPosition = Gauge(label: "accord_scrub_position", factory: factory)
        scrubPasses = Counter(label: "accord_scrub_passes_total", factory: factory)
        scrubLastPass = Gauge(label: "accord_scrub_last_pass_timestamp_seconds", factory: factory)
        scrubFindings = Gauge(label: "accord_scrub_findings", factory: factory)
        storeDamaged = Gauge(label: "accord_store_damaged", factory: factory)
        appendsRefused = Gauge(label: "accord_appends_refused", factory: factory)
    }

    /// One acknowledged append of `events` new events, begun at `start`.
    func appended(events: Int, since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        appendDuration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        if events > 0 { eventsAppended.increment(by: Int64(events)) }
    }

    func error(_ code: String) {
        Counter(label: "accord_errors_total", dimensions: [("code", code)], factory: factory).increment()
    }

    /// Sets the gauges that are read rather than pushed; called before each scrape.
    func refresh(store: EventStore, registry: Registry, connections open: Int, damaged: Bool, refusing: Bool) {
        storeDamaged.record(damaged ? 1 : 0)
        appendsRefused.record(refusing ? 1 : 0)
        let info = store.environment.info()
        head.record(Int64(store.head))
        mapUsed.record(Int64(info.bytesUsed))
        mapSize.record(Int64(info.mapSize))
        mapMax.record(Int64(store.environment.options.maxMapSize))
        connections.record(Int64(open))
        subscriptions.record(Int64(activePushers.load(ordering: .relaxed)))
        let cache = registry.agreementCache
        cacheHeld.record(Int64(cache.held))
        cacheCapacity.record(Int64(cache.capacity))
        let newlyDropped = cacheDroppedReported.withLock { reported in
            defer { reported = cache.dropped }
            return cache.dropped - reported
        }
        if newlyDropped > 0 { cacheDropped.increment(by: Int64(newlyDropped)) }
        if let damaged = try? store.read({ try registry.damagedAgreements(in: $0).count }) { damagedAgreements.record(Int64(damaged)) }
    }
}
