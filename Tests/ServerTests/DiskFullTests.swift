import AccordClient
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import Testing

/// A data directory on a tiny tmpfs that fills up mid-load. Needs root (to
/// mount); elsewhere the test is skipped and says so.
@Suite struct DiskFullTests {
    @Test(.enabled(if: TemporaryMount.available, "mounting a tmpfs needs root"))
    func aFullDiskRefusesAppendsLosesNothingAndRecovers() async throws {
        let dir = try TemporaryMount(size: "24m", label: "diskfull")
        // Leave little room, and a file to delete later to make room again.
        try Data(count: 12 << 20).write(to: URL(fileURLWithPath: dir.child("filler")))
        try await TestServer.with(dir.directory, mapSize: 64 << 20, maxMapSize: 1 << 30) { server in
            let pad = JSONValue.string(String(repeating: "x", count: 4_000))
            let acknowledged = try await AccordClient.connect(port: server.port) { client in
                var acknowledged: [String] = []
                var refusal: String?
                for n in 0..<10_000 where refusal == nil {
                    let id = UUID().uuidString.lowercased()
                    do {
                        try await client.request(
                            "append", Requests.append("$fill", Requests.event("Pad", ["n": .integer(Int64(n)), "pad": pad], id: id)))
                        acknowledged.append(id)
                    } catch let error as ClientError {
                        refusal = error.code.rawValue
                        if error.code != "storage_full" { Issue.record("append \(n): \(error)") }
                    }
                }
                #expect(refusal == "storage_full")
                return acknowledged
            }
            #expect(acknowledged.count > 100)
            try await AccordClient.connect(port: server.port) { client in
                // Reads work and hold every acknowledged event.
                var seen: [String] = []
                var from: Int64 = 0
                while true {
                    let page = try await client.request("read_all", ["from": .integer(from), "limit": 1000])
                    seen += (page["events"]?.arrayValue ?? []).compactMap { $0["eventId"]?.stringValue }
                    guard let next = page["next"]?.int64Value else { break }
                    from = next
                }
                #expect(seen == acknowledged)
                // A subscription catches up over all of them.
                try await client.request("subscribe", ["from": "start"])
                var pushes = client.pushes.makeAsyncIterator()
                var pushed = 0
                while let push = await pushes.next(), push["caught_up"] == nil { if push["event"] != nil { pushed += 1 } }
                #expect(pushed == acknowledged.count)
                // Free space: appends resume.
                try FileManager.default.removeItem(atPath: dir.child("filler"))
                let resumed = try await client.request("append", Requests.append("$fill", Requests.event("Pad", ["after": true])))
                #expect(resumed["positions"] == [.integer(Int64(acknowledged.count))])
            }
        }
    }

    /// The trial's small filesystem under a map allowed to grow to 1 GiB:
    /// headroom follows the disk, refusals are logged once per spell (not per
    /// append) and counted, health is `failing` and `/readyz` 503 while
    /// appends are refused, and `accord health` exits 1.
    @Test(.enabled(if: TemporaryMount.available, "mounting a tmpfs needs root"))
    func aFullDiskIsReportedAsSuchWhileAppendsAreRefused() async throws {
        let dir = TemporaryDirectory("diskhealth")
        let fs = try TemporaryMount(size: "16m", label: "diskhealth-fs")
        let mount = fs.path
        let metricsPort = try SilentListener().port
        let log = dir.child("server.log")
        let server = try await ServerProcess.start(
            data: mount + "/data", ready: dir.child("ready"),
            arguments: [
                "--metrics-listen", "127.0.0.1:\(metricsPort)", "--map-size-mib", "4", "--max-map-size-gib", "1", "--log-level", "notice",
            ],
            log: log)
        defer { server.stop() }
        let pad = JSONValue.string(String(repeating: "x", count: 8_000))
        let refused = try await AccordClient.connect(port: server.port) { client in
            var refused = 0
            for n in 0..<5_000 where refused < 30 {
                do {
                    try await client.request(
                        "append", Requests.append("$fill", Requests.event("Pad", ["n": .integer(Int64(n)), "pad": pad])))
                } catch let error as ClientError where error.code == "storage_full" {
                    refused += 1
                }
            }
            return refused
        }
        #expect(refused == 30)
        let health = try await AccordClient.connect(port: server.port) { client in try await client.request("health", [:]) }
        #expect(health["status"] == "failing" && health["writable"] == false, "\(health)")
        #expect(health["map"]?["limitedBy"] == "disk" && (health["map"]?["headroom"]?.doubleValue ?? 1) < 0.1, "\(health)")
        #expect((health["storageFullRefusals"]?.int64Value ?? 0) >= 30)
        let problems = (health["problems"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(problems.contains { $0.hasPrefix("appends are refused: storage is full") }, "\(problems)")
        let ready = try await MetricsTests.scrape(port: metricsPort, path: "/readyz")
        #expect(ready.status.contains("503") && ready.body.contains("appends are refused"), "\(ready)")
        let metrics = try await MetricsTests.scrape(port: metricsPort)
        #expect(metrics.body.contains("accord_appends_refused 1"), "\(metrics.body)")
        #expect(metrics.body.split(separator: "\n").contains { $0.hasPrefix("accord_storage_full_total ") && !$0.hasSuffix(" 0") })
        #expect(metrics.body.contains("accord_disk_free_bytes "))
        let cli = try runAccord(["health", "--server", "127.0.0.1:\(server.port)"])
        #expect(cli.status == 1 && cli.stdout.contains("failing"), "\(cli.stdout) \(cli.stderr)")
        let lines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").filter {
            $0.contains("appends refused")
        }
        #expect((1...3).contains(lines.count), "one line per spell, not one per refusal: \(lines)")
    }
}
