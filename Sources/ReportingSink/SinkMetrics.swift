import AccordCore
import CoreMetrics

/// The sink's series (through swift-metrics; the process chooses the backend).
struct SinkMetrics: Sendable {
    /// Events the tables reflect, and the newest position the server has reported.
    let position = Gauge(label: "accord_sink_position")
    let serverPosition = Gauge(label: "accord_sink_server_position")
    let lagPositions = Gauge(label: "accord_sink_lag_positions")
    /// Seconds from the recording of the last applied event to its commit in PostgreSQL.
    let lagSeconds = Gauge(label: "accord_sink_lag_seconds")
    let eventsApplied = Counter(label: "accord_sink_events_applied_total")
    let transactions = Counter(label: "accord_sink_transactions_total")
    let registerRows = Counter(label: "accord_sink_rows_written_total", dimensions: [("table", "register")])
    let statisticsRows = Counter(label: "accord_sink_rows_written_total", dimensions: [("table", "law_enforcement_statistics")])
    let requestRows = Counter(label: "accord_sink_rows_written_total", dimensions: [("table", "law_enforcement_requests")])
    let connected = Gauge(label: "accord_sink_connected")

    func error(_ code: String) {
        Counter(label: "accord_sink_errors_total", dimensions: [("code", code)]).increment()
    }

    func seen(_ position: Position, applied: Position) {
        serverPosition.record(Int64(position))
        lagPositions.record(Int64(position) - Int64(applied))
    }
}
