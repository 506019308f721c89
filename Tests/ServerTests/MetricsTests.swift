import AccordClient
import AccordJSON
import AccordTesting
import CoreMetrics
import Foundation
import Prometheus
import Testing

/// The Prometheus endpoint, scraped over HTTP and parsed.
@Suite struct MetricsTests {
    let dir = TemporaryDirectory("metrics")

    /// `name{labels} value` lines of a scrape, by series.
    static func parse(_ text: String) -> [String: Double] {
        var series: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            series[String(line[..<space])] = value
        }
        return series
    }

    static func scrape(port: Int) async throws -> (status: String, body: String) {
        let socket = try LineSocket(port: port)
        try await socket.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        var lines: [String] = []
        while let line = await socket.readLine(timeout: .seconds(10)) { lines.append(line) }
        let body = lines.drop(while: { !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0 != "\r" }).dropFirst()
        return (lines.first ?? "", body.joined(separator: "\n"))
    }

    @Test func theEndpointReportsAppendsErrorsAndTheStore() async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = (
            factory: PrometheusMetricsFactory(registry: registry) as any MetricsFactory, render: { @Sendable in registry.emitToBuffer() }
        )
        try await TestServer.with(dir, metrics: metrics) { server in
            try await AccordClient.connect(port: server.port) { client in
                for n in 0..<2 {
                    try await client.request("append", Requests.append("$m", Requests.event("Noted", ["n": .integer(Int64(n))])))
                }
                try await client.request("append", Requests.append("DSA-M-1", Requests.event("AgreementProposed", Requests.proposal)))
                _ = try? await client.request("teleport")
                _ = try? await client.request("teleport")
                let (status, body) = try await Self.scrape(port: try #require(server.metricsPort))
                #expect(status.hasPrefix("HTTP/1.1 200"))
                let series = Self.parse(body)
                #expect(series["accord_events_appended_total"] == 3)
                #expect(series[#"accord_errors_total{code="unknown_op"}"#] == 2)
                #expect(series["accord_head_position"] == 3)
                #expect(series["accord_append_duration_seconds_count"] == 3)
                #expect((series["accord_commit_batch_events_count"] ?? 0) >= 1)
                #expect(series["accord_connections"] == 1)
                #expect((series["accord_map_used_bytes"] ?? 0) > 0)
                #expect(series["accord_agreement_cache_agreements"] == 1)
                #expect(series["accord_agreement_cache_capacity"] == 8_192)
                #expect(series["accord_agreement_cache_dropped_total"] ?? 0 == 0)
            }
        }
    }
}
