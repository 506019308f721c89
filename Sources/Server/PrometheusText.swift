import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The Prometheus text exposition as operators' tools expect it: a `# HELP`
/// before every `# TYPE` (swift-metrics carries no help text, so it is added
/// here from one table), then the build and process series every exporter
/// has, and the data directory's free disk. `promtool check metrics` passes
/// on the result (ops/test checks it against a live server).
public enum PrometheusText {
    /// What each series means, by family name (ops/README.md lists the same).
    static let help: [String: String] = [
        "accord_append_duration_seconds": "Time from an append request to its durable acknowledgement.",
        "accord_events_appended_total": "Events written by acknowledged appends.",
        "accord_commit_batch_events": "Events per group commit.",
        "accord_commit_duration_seconds": "Duration of one group commit, including its sync.",
        "accord_errors_total": "Error responses, by protocol error code.",
        "accord_connections": "Open connections.",
        "accord_subscriptions": "Running subscriptions and watches.",
        "accord_subscription_lag_events": "Events between a pusher's position and the head, at each step.",
        "accord_subscription_events_total":
            "Events subscriptions stepped through, by source: shared (one read per event loop) or log (read when behind).",
        "accord_head_position": "The log's length in events.",
        "accord_map_used_bytes": "Bytes of the LMDB map in use.",
        "accord_map_size_bytes": "The LMDB map's current size in bytes.",
        "accord_map_max_bytes": "The largest the LMDB map may grow, in bytes.",
        "accord_agreement_cache_agreements": "Decoded agreements the writer keeps.",
        "accord_agreement_cache_capacity": "The bound on decoded agreements the writer keeps.",
        "accord_agreement_cache_dropped_total": "Agreements dropped from the writer's cache.",
        "accord_damaged_agreements": "Agreements with a stored event this build cannot fold (health names them).",
        "accord_scrub_position": "How far the running scrub pass has checked the log.",
        "accord_scrub_passes_total": "Scrub passes finished.",
        "accord_scrub_last_pass_timestamp_seconds": "When the last scrub pass finished, in Unix seconds.",
        "accord_scrub_findings": "What the last scrub pass found damaged.",
        "accord_store_damaged": "1 while the store is known to be damaged.",
        "accord_storage_full_total": "Appends refused because storage (the map's maximum or the disk) was full.",
        "accord_appends_refused": "1 while appends are refused (storage full since the last commit, fenced, or closing), else 0.",
        "accord_tls_certificate_expiry_timestamp_seconds": "When the server's TLS certificate stops being valid, in Unix seconds.",
        "accord_reload_failures_total": "Reloads (SIGHUP) refused because the tokens or certificates did not load.",
        "accord_reload_last_success_timestamp_seconds": "When tokens and certificates were last loaded, in Unix seconds.",
        "accord_sink_position": "Events the PostgreSQL copy's tables reflect.",
        "accord_sink_server_position": "The newest position the server has reported to the sink.",
        "accord_sink_lag_positions": "Events the server has reported that the copy does not yet reflect.",
        "accord_sink_lag_seconds": "Seconds from the recording of the last applied event to its commit in PostgreSQL.",
        "accord_sink_events_applied_total": "Log positions the copy has moved past.",
        "accord_sink_transactions_total": "PostgreSQL transactions the sink committed.",
        "accord_sink_rows_written_total": "Rows the sink wrote, by table.",
        "accord_sink_errors_total": "Failures that made the sink retry or stop, by code.",
        "accord_sink_connected": "1 while the sink is connected to the server, else 0.",
        "accord_replica_lag_positions": "Events the primary has shown that this replica has not yet copied.",
        "accord_replica_lag_seconds":
            "Seconds since this replica was last level with its primary; 0 while level, -1 before its first catch-up.",
        "accord_replica_primary_head": "The newest head the primary has shown this replica.",
        "accord_replica_verified_size": "The size of the newest primary checkpoint verified against this replica's copy.",
        "accord_replica_connected": "1 while this replica is connected to its primary, else 0.",
        "accord_replica_diverged": "1 once the primary's log failed verification and replication stopped.",
        "accord_replica_events_copied_total": "Events this replica copied from its primary.",
        "accord_replica_commits_total": "Commits in which this replica wrote copied events.",
    ]

    /// `exposition` with HELP lines added, then the build, process and (with
    /// a data directory) disk series.
    public static func render(_ exposition: [UInt8], version: String, dataDirectory: String?) -> [UInt8] {
        var out = ""
        for line in String(decoding: exposition, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# TYPE ") {
                let name = String(line.dropFirst(7).prefix { $0 != " " })
                out += "# HELP \(name) \(help[name] ?? name.replacingOccurrences(of: "_", with: " "))\n"
            }
            if line.hasPrefix("# HELP ") { continue }
            out += line + "\n"
        }
        out += gauge("accord_build_info", "The running build; the value is always 1.", labels: "{version=\"\(version)\"}", 1)
        let process = ProcessStatistics.current()
        out += "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
        out += "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total \(process.cpuSeconds)\n"
        out += gauge("process_resident_memory_bytes", "Resident memory size in bytes.", Double(process.residentBytes))
        out += gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", Double(process.virtualBytes))
        out += gauge("process_open_fds", "Number of open file descriptors.", Double(process.openDescriptors))
        out += gauge("process_max_fds", "Maximum number of open file descriptors.", Double(process.maxDescriptors))
        out += gauge("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.", process.startTime)
        var disk = statvfs()
        if let dataDirectory, statvfs(dataDirectory, &disk) == 0 {
            out += gauge(
                "accord_disk_free_bytes", "Bytes free to this user on the data directory's file system.",
                Double(disk.f_bavail) * Double(disk.f_frsize))
            out += gauge(
                "accord_disk_size_bytes", "Bytes of the data directory's file system.", Double(disk.f_blocks) * Double(disk.f_frsize))
        }
        return Array(out.utf8)
    }

    private static func gauge(_ name: String, _ help: String, labels: String = "", _ value: Double) -> String {
        let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        return "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name)\(labels) \(text)\n"
    }
}
