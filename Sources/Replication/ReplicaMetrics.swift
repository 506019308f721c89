import CoreMetrics

/// The replica's metrics (ops/monitoring: alert on `accord_replica_diverged`).
struct ReplicaMetrics: Sendable {
    let lagPositions = Gauge(label: "accord_replica_lag_positions")
    let lagSeconds = Gauge(label: "accord_replica_lag_seconds")
    let primaryHead = Gauge(label: "accord_replica_primary_head")
    let verifiedSize = Gauge(label: "accord_replica_verified_size")
    let connected = Gauge(label: "accord_replica_connected")
    let diverged = Gauge(label: "accord_replica_diverged")
    let copied = Counter(label: "accord_replica_events_copied_total")
    let commits = Counter(label: "accord_replica_commits_total")
}
