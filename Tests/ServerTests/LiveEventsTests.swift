import AccordClient
import AccordJSON
import AccordTesting
import Testing

@Suite struct LiveEventsTests {
    let dir = TemporaryDirectory("live")

    /// Subscriptions level with the head take the newest events from their
    /// loop's one shared read (`LiveEvents`); each still gets exactly the
    /// events its filter passes, in order, once, as `read_all` has them. One
    /// starting far behind reads the log itself, then joins them.
    @Test func levelSubscriptionsShareEventsAndEachGetsItsOwn() async throws {
        try await TestServer.with(dir, metrics: MetricsTests.prometheus()) { server in
            try await AccordClient.connect(port: server.port) { writer in
                for _ in 0..<3 {
                    let notes = (0..<100).map { Requests.event("Noted", ["n": .integer(Int64($0))]) }
                    try await writer.request("append", ["agreementId": "$bulk", "events": .array(notes)])
                }
                try await AccordClient.connect(port: server.port) { reader in
                    let filters: [[String: JSONValue]] = [
                        [:], ["types": ["AgreementApproved", "LawEnforcementAccessRecorded"]], ["agreementId": "DSA-2"],
                        ["recipientId": "R-HO-1"],
                    ]
                    var from: [String: Int64] = [:]
                    for filter in filters {
                        let answer = try await reader.request("subscribe", filter.merging(["from": "end"]) { $1 })
                        from[answer["sub"]?.stringValue ?? ""] = answer["from"]?.int64Value
                    }
                    _ = try await reader.request("subscribe", ["from": "start"])
                    from["s5"] = 0
                    for n in 0..<8 {
                        var append = Requests.approvedWithAccess("DSA-\(n)")
                        if n % 2 == 1 { append = Self.forHomeOffice(append) }
                        try await writer.request("append", append)
                        try await writer.request(
                            "append", Requests.append("DSA-\(n / 2)", Requests.event("LawEnforcementAccessRecorded", Requests.access())))
                    }
                    let all = try await writer.request("read_all", ["from": 0, "limit": 1_000])
                    let head = all["head"]?.int64Value ?? 0
                    let events = all["events"]?.arrayValue ?? []
                    let passes: [String: (JSONValue) -> Bool] = [
                        "s1": { _ in true },
                        "s2": { ["AgreementApproved", "LawEnforcementAccessRecorded"].contains($0["type"]?.stringValue) },
                        "s3": { $0["stream"] == "DSA-2" },
                        "s4": { event in [1, 3, 5, 7].contains { event["stream"]?.stringValue == "DSA-\($0)" } },
                        "s5": { _ in true },
                    ]
                    var expected: [String: [JSONValue]] = [:]
                    for (sub, passes) in passes {
                        expected[sub] = events.filter { event in
                            let position = event["position"]?.int64Value ?? -1
                            return position >= from[sub]! && position < head && passes(event)
                        }
                    }
                    #expect(expected.values.allSatisfy { !$0.isEmpty })
                    var pushed: [String: [JSONValue]] = [:]
                    var pushes = reader.pushes.makeAsyncIterator()
                    while expected.contains(where: { pushed[$0.key, default: []].count < $0.value.count }), let push = await pushes.next() {
                        // Reads of law-enforcement records are audited: those records may follow.
                        guard let sub = push["sub"]?.stringValue, let event = push["event"],
                            (event["position"]?.int64Value ?? .max) < head
                        else { continue }
                        pushed[sub, default: []].append(event)
                    }
                    for (sub, events) in expected.sorted(by: { $0.key < $1.key }) {
                        #expect(pushed[sub] == events, "\(sub): \(pushed[sub]?.count ?? 0) pushed, \(events.count) expected")
                    }
                    let series = MetricsTests.parse(try await MetricsTests.scrape(port: try #require(server.metricsPort)).body)
                    let shared = series[#"accord_subscription_events_total{source="shared"}"#] ?? 0
                    let fromLog = series[#"accord_subscription_events_total{source="log"}"#] ?? 0
                    #expect(shared > 0 && fromLog >= 300, "shared \(shared), from the log \(fromLog)")
                }
            }
        }
    }

    /// The same agreement proposed for another recipient.
    private static func forHomeOffice(_ append: [String: JSONValue]) -> [String: JSONValue] {
        guard case .array(var events) = append["events"], case .object(var proposed) = events[0],
            case .object(var data) = proposed["data"], case .object(var recipient) = data["recipient"]
        else { return append }
        recipient["id"] = "R-HO-1"
        recipient["name"] = "Home Office"
        recipient["category"] = "home_office"
        data["recipient"] = .object(recipient)
        proposed["data"] = .object(data)
        events[0] = .object(proposed)
        return append.merging(["events": .array(events)]) { $1 }
    }
}
