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

    /// A Prometheus registry of the test's own, as `TestServer.with(metrics:)` takes it.
    static func prometheus() -> (factory: any MetricsFactory, render: @Sendable () -> [UInt8]) {
        let registry = PrometheusCollectorRegistry()
        return (PrometheusMetricsFactory(registry: registry), { registry.emitToBuffer() })
    }

    static func scrape(port: Int, path: String = "/metrics") async throws -> (status: String, body: String) {
        let socket = try LineSocket(port: port)
        try await socket.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        var lines: [String] = []
        while let line = await socket.readLine(timeout: .seconds(10)) { lines.append(line) }
        let body = lines.drop(while: { !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0 != "\r" }).dropFirst()
        return (lines.first ?? "", body.joined(separator: "\n"))
    }

    @Test func theEndpointReportsAppendsErrorsAndTheStore() async throws {
        try await TestServer.with(dir, metrics: MetricsTests.prometheus()) { server in
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
                #expect(series["accord_damaged_agreements"] == 0)
            }
        }
    }
}

extension MetricsTests {
    /// What `accord serve --metrics-listen` exports, as Prometheus and
    /// promtool expect it, and the HTTP probes beside it.
    @Test func theServedExpositionHasHelpTypeBuildAndProcessSeries() async throws {
        let port = try SilentListener().port  // released at once: free for the server
        let server = try await ServerProcess.start(
            data: dir.child("data"), ready: dir.child("ready"), arguments: ["--metrics-listen", "127.0.0.1:\(port)"])
        defer { server.stop() }
        try await AccordClient.connect(port: server.port) { client in
            _ = try? await client.request("teleport")
            try await client.request("append", Requests.append("$m", Requests.event("Noted", [:])))
        }
        let (status, body) = try await Self.scrape(port: port)
        #expect(status.hasPrefix("HTTP/1.1 200"))
        let lines = body.split(separator: "\n").map(String.init)
        var helped = Set<String>()
        var typed = Set<String>()
        for line in lines {
            let fields = line.split(separator: " ")
            if line.hasPrefix("# HELP ") { helped.insert(String(fields[2])) }
            if line.hasPrefix("# TYPE ") {
                #expect(helped.contains(String(fields[2])), "\(fields[2]) has TYPE without HELP")
                typed.insert(String(fields[2]))
            }
        }
        for family in [
            "accord_build_info", "process_resident_memory_bytes", "process_open_fds", "process_max_fds", "process_cpu_seconds_total",
            "process_start_time_seconds", "accord_disk_free_bytes", "accord_errors_total", "accord_events_appended_total",
        ] {
            #expect(typed.contains(family), "\(family) missing")
        }
        let series = Self.parse(body)
        #expect((series["process_resident_memory_bytes"] ?? 0) > 1_000_000)
        #expect((series["process_open_fds"] ?? 0) > 3)
        #expect(series.keys.contains { $0.hasPrefix("accord_build_info{version=") })
        #expect(try await Self.scrape(port: port, path: "/healthz").status.hasPrefix("HTTP/1.1 200"))
        let ready = try await Self.scrape(port: port, path: "/readyz")
        #expect(ready.status.hasPrefix("HTTP/1.1 200") && ready.body.hasPrefix("ok"))
        #expect(try await Self.scrape(port: port, path: "/nothing").status.hasPrefix("HTTP/1.1 404"))
        let promtool = FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")
        if ProcessInfo.processInfo.environment["ACCORD_REQUIRE_PROMTOOL"] == "1" {
            #expect(promtool, "promtool is not installed (Debian's prometheus package; ops/setup installs it)")
        }
        if promtool {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
            check.arguments = ["check", "metrics"]
            let input = Pipe()
            check.standardInput = input
            check.standardOutput = FileHandle.nullDevice
            try check.run()
            input.fileHandleForWriting.write(Data((body + "\n").utf8))
            try input.fileHandleForWriting.close()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "promtool check metrics refused the exposition")
        }
    }

    /// `--log-format json`: every line on standard error is one JSON object.
    @Test func jsonLogsAreOneObjectALine() async throws {
        let log = dir.child("stderr.log")
        #expect(FileManager.default.createFile(atPath: log, contents: nil))
        let process = Process()
        process.executableURL = accordBinary()
        process.arguments = [
            "serve", "--data", dir.child("json"), "--listen", "127.0.0.1:0", "--log-format", "json", "--ready-file", dir.child("ready"),
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: dir.child("ready")) { try await Task.sleep(for: .milliseconds(10)) }
        process.terminate()
        process.waitUntilExit()
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let object = try JSONParser.parse(Array(line.utf8))
            #expect(object["time"]?.stringValue != nil && object["level"]?.stringValue != nil && object["message"]?.stringValue != nil)
        }
        #expect(lines.contains { $0.contains(#""message":"listening""#) })
    }
}
