import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Testing

@Suite struct OperationTests {
    let dir = TemporaryDirectory("server")

    @Test func everyOperationAnswers() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                #expect(client.info["protocol"] == 1)
                #expect(client.info["maxLineBytes"] == .integer(1 << 20))
                #expect(try await client.request("ping")["head"] == 0)
                #expect(try await client.request("hello", ["client": "case-system"])["principal"] == "case-system")
                let appended = try await client.request(
                    "append",
                    Requests.append(
                        "DSA-1", Requests.event("AgreementProposed", Requests.proposal),
                        Requests.event("LegalReviewCompleted", Requests.review),
                        Requests.event("AgreementApproved", Requests.approval), expected: "no_stream"))
                #expect(appended["positions"] == [0, 1, 2])
                #expect(appended["streamVersion"] == 2)
                #expect(appended["duplicate"] == false)
                try await client.request(
                    "append", Requests.append("DSA-1", Requests.event("LawEnforcementAccessRecorded", Requests.access()), expected: 2))

                let read = try await client.request("read", ["agreementId": "DSA-1", "direction": "backward", "limit": 2])
                #expect(read["events"]?.arrayValue?.map { $0["version"] } == [3, 2])
                #expect(read["events"]?.arrayValue?.first?["principal"] == "case-system")
                let all = try await client.request(
                    "read_all", ["from": 1, "limit": 2, "types": ["LegalReviewCompleted", "LawEnforcementAccessRecorded"]])
                #expect(all["events"]?.arrayValue?.map { $0["position"] } == [1, 3])
                // The `read` above disclosed a law-enforcement record, so it was audited at position 4.
                #expect(all["head"] == 5)

                let register = try await client.request("register", ["on": "2025-06-01"])
                #expect(register["rows"]?.arrayValue?.first?["effectiveStatus"] == "in_force")
                #expect(register["rows"]?.arrayValue?.first?["lawEnforcementDisclosures"] == 1)
                let past = try await client.request("register", ["on": "2025-06-01", "asOf": 1])
                #expect(past["rows"]?.arrayValue?.first?["status"] == "proposed")
                #expect(past["position"] == 1)
                let agreement = try await client.request("agreement", ["agreementId": "DSA-1", "history": true])
                #expect(agreement["events"]?.arrayValue?.count == 4)
                #expect(agreement["agreement"]?["review"]?["gatewayId"] == "dpa-2018-s2p2")
                let recipient = try await client.request("recipient", ["recipientId": "R-POL-1"])
                #expect(recipient["lawEnforcementRequests"]?.arrayValue?.first?["requestReference"] == "REQ-2025-03-10")
                let stats = try await client.request("law_enforcement_stats", ["periodKind": "quarter"])
                #expect(stats["rows"]?.arrayValue?.first?["period"] == "2025-Q1")
                let export = try await client.request("export", ["table": "register", "on": "2025-06-01"])
                #expect(export["csv"]?.stringValue?.hasPrefix("reference,recipient_id,") == true)
                // read, read_all, agreement history and recipient each disclosed request 3: four audited reads.
                let audits = try await client.request("read", ["agreementId": "$audit"])["events"]?.arrayValue ?? []
                #expect(audits.map { $0["data"]?["op"] } == ["read", "read_all", "agreement", "recipient"])
                #expect(
                    audits.allSatisfy {
                        $0["principal"] == "case-system" && $0["data"]?["records"] == [["agreementId": "DSA-1", "position": 3]]
                    })

                let sub = try await client.request("subscribe", ["from": "start", "types": ["AgreementApproved"]])
                #expect(sub["sub"] == "s1")
                let watch = try await client.request("watch", ["projection": "law_enforcement_stats"])
                #expect(watch["rows"]?.arrayValue?.count == 2)
                var pushes = client.pushes.makeAsyncIterator()
                let first = await pushes.next()
                #expect(first?["event"]?["type"] == "AgreementApproved")
                #expect(await pushes.next()?["caught_up"] == 8)
                try await client.request(
                    "append", Requests.append("DSA-1", Requests.event("LawEnforcementAccessRecorded", Requests.access("2025-04-01"))))
                let pushed = await pushes.next()
                #expect(pushed?["watch"] == "w2")
                #expect(pushed?["position"] == 8)
                #expect(try await client.request("unsubscribe", ["sub": "s1"]) == [:])
                #expect(try await client.request("unwatch", ["watch": "w2"]) == [:])
            }
        }
    }

    /// Rows and each step's changes are computed once for every watch
    /// (`WatchCache`): each watch still gets its own lines, a recipient's
    /// watch only its recipient's rows, the statistics watches equal rows.
    @Test func watchesShareRowsAndEachSeesItsOwn() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                for watch in [
                    ["projection": "register"], ["projection": "register"], ["projection": "recipient", "recipientId": "R-POL-1"],
                    ["projection": "recipient", "recipientId": "R-NONE"], ["projection": "law_enforcement_stats"],
                    ["projection": "law_enforcement_stats"],
                ] as [[String: JSONValue]] {
                    _ = try await client.request("watch", watch.merging(["on": "2025-06-01"]) { $1 })
                }
                var pushes = client.pushes.makeAsyncIterator()
                try await client.request("append", Requests.approvedWithAccess("DSA-1"))
                var rows: [String: [JSONValue]] = [:]
                while rows.values.reduce(0, { $0 + $1.count }) < 7, let push = await pushes.next() {
                    if let watch = push["watch"]?.stringValue, let row = push["row"] { rows[watch, default: []].append(row) }
                }
                #expect(rows["w1"] == rows["w2"] && rows["w1"] == rows["w3"], "the same row for every watch that may see it")
                #expect(rows["w1"]?.first?["effectiveStatus"] == "in_force")
                #expect(rows["w4"] == nil, "another recipient's watch sees nothing")
                #expect(rows["w5"]?.count == 2 && rows["w5"] == rows["w6"], "a month's row and a quarter's, equal for both")
                try await client.request(
                    "append", Requests.append("DSA-1", Requests.event("LawEnforcementAccessRecorded", Requests.access())))
                var later: [String: [JSONValue]] = [:]
                while later.values.reduce(0, { $0 + $1.count }) < 7, let push = await pushes.next() {
                    if let watch = push["watch"]?.stringValue, let row = push["row"] { later[watch, default: []].append(row) }
                }
                #expect(later["w1"]?.first?["lawEnforcementDisclosures"] == 2 && later["w1"] == later["w3"], "a later change, a new row")
                #expect(later["w4"] == nil)
                #expect(later["w5"]?.map { $0["requests"] } == [2, 2] && later["w5"] == later["w6"])
            }
        }
    }

    @Test func errorsHaveStableCodesAndKeepTheConnection() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                func code(_ op: String, _ members: [String: JSONValue] = [:]) async -> String? {
                    do {
                        _ = try await client.request(op, members)
                        return nil
                    } catch {
                        return (error as? ClientError)?.code.rawValue
                    }
                }
                let id = UUID().uuidString.lowercased()
                #expect(await code("frobnicate") == "unknown_op")
                #expect(await code("append", ["agreementId": "DSA-1"]) == "bad_request")
                #expect(
                    await code("append", Requests.append("DSA-1", ["eventId": "not-a-uuid", "type": "X", "data": [:]])) == "bad_request")
                #expect(
                    await code("append", Requests.append("DSA-1", Requests.event("AgreementApproved", Requests.approval)))
                        == "invalid_transition")
                #expect(
                    await code("append", Requests.append("DSA-1", Requests.event("AgreementProposed", ["purpose": 3])))
                        == "validation_failed")
                try await client.request("append", Requests.append("DSA-1", Requests.event("AgreementProposed", Requests.proposal, id: id)))
                #expect(
                    await code("append", Requests.append("DSA-1", Requests.event("LegalReviewCompleted", Requests.review, id: id)))
                        == "event_id_conflict")
                do {
                    _ = try await client.request(
                        "append", Requests.append("DSA-1", Requests.event("LegalReviewCompleted", Requests.review), expected: 5))
                    Issue.record("a wrong expected version was accepted")
                } catch ClientError.server(let code, _, let error) {
                    #expect(code == "wrong_expected_version")
                    #expect(error["expected"] == 5)
                    #expect(error["actual"] == 0)
                }
                #expect(await code("agreement", ["agreementId": "DSA-404"]) == "not_found")
                #expect(await code("unsubscribe", ["sub": "s9"]) == "not_found")
                #expect(await code("register", ["on": "yesterday"]) == "bad_request")
                #expect(await code("read_all", ["limit": 0]) == "bad_request")
                // After all that, the connection still works.
                #expect(try await client.request("ping")["head"] == 1)
            }
        }
    }

    @Test func malformedLinesGetErrorsAndTheConnectionContinues() async throws {
        try await TestServer.with(dir) { server in
            let socket = try LineSocket(port: server.port)
            #expect(await socket.readLine()?.hasPrefix(#"{"info":"#) == true)
            try await socket.send("{not json\n[1,2]\n{\"op\":\"ping\"}\n{\"id\":7}\n{\"id\":8,\"op\":\"ping\"}\r\n\n")
            #expect(await socket.readLine()?.contains(#""code":"bad_json""#) == true)
            #expect(await socket.readLine()?.contains(#""code":"bad_json""#) == true)
            #expect(await socket.readLine()?.contains(#""code":"bad_request""#) == true)
            let noOp = await socket.readLine()
            #expect(noOp?.contains(#""id":7"#) == true && noOp?.contains("bad_request") == true)
            #expect(await socket.readLine() == #"{"id":8,"ok":true,"result":{"head":0}}"#)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await TestServer.with(dir) { server in
            let socket = try LineSocket(port: server.port)
            _ = await socket.readLine()
            var batch = ""
            for i in 0..<300 {
                if i % 3 == 0 {
                    let event = Requests.event("AgreementProposed", Requests.proposal).canonicalString
                    batch += #"{"id":\#(i),"op":"append","agreementId":"DSA-\#(i)","events":[\#(event)]}"# + "\n"
                } else {
                    batch += #"{"id":\#(i),"op":"ping"}"# + "\n"
                }
            }
            try await socket.send(batch)
            for i in 0..<300 {
                let line = await socket.readLine() ?? ""
                #expect(line.hasPrefix(#"{"id":\#(i),"ok":true"#), "response \(i): \(line)")
                // Every response is canonical JSON, the append's (written by hand) too.
                #expect((try? JSONParser.parse(line).canonicalString) == line, "response \(i)")
            }
            #expect(try await server.readable().head == 100)
        }
    }

    @Test func anOversizedLineClosesOnlyThatConnection() async throws {
        try await TestServer.with(dir, configure: { $0.maxLineBytes = 4_096 }) { server in
            let other = try LineSocket(port: server.port)
            _ = await other.readLine()
            let socket = try LineSocket(port: server.port)
            _ = await socket.readLine()
            try? await socket.send([UInt8](repeating: UInt8(ascii: "x"), count: 100_000))
            let error = await socket.readLine()
            #expect(error?.contains(#""code":"line_too_long""#) == true)
            #expect(error?.contains(#""maxLineBytes":4096"#) == true)
            #expect(await socket.readLine() == nil)
            try await other.send(#"{"id":1,"op":"ping"}"# + "\n")
            #expect(await other.readLine() == #"{"id":1,"ok":true,"result":{"head":0}}"#)
        }
    }

    @Test func aClientThatDisconnectsMidRequestLosesNothingElse() async throws {
        try await TestServer.with(dir) { server in
            let half = try LineSocket(port: server.port)
            try await half.send(#"{"id":1,"op":"append","agreementId":"DSA-1","events":[{"eventId""#)
            half.shutdownWrite()
            let hasty = try LineSocket(port: server.port)
            let event = Requests.event("AgreementProposed", Requests.proposal).canonicalString
            try await hasty.send(#"{"id":1,"op":"append","agreementId":"DSA-2","events":[\#(event)]}"# + "\n")
            hasty.shutdownWrite()
            #expect(await hasty.readLine()?.hasPrefix(#"{"info":"#) == true)
            let answer = await hasty.readLine()
            #expect(answer?.hasPrefix(#"{"id":1,"ok":true"#) == true, "\(answer ?? "no answer")")
            try await AccordClient.connect(port: server.port) { client async throws in
                #expect(try await client.request("ping")["head"] == 1)
                #expect(try await client.request("read", ["agreementId": "DSA-2"])["events"]?.arrayValue?.count == 1)
            }
        }
    }
}

@Suite struct LimitTests {
    let dir = TemporaryDirectory("limits")

    @Test func aConnectionOverTheLimitIsToldOverloadedAndOthersCarryOn() async throws {
        try await TestServer.with(dir, configure: { $0.maxConnections = 1 }) { server in
            let first = try LineSocket(port: server.port)
            #expect(await first.readLine()?.hasPrefix(#"{"info":"#) == true)
            let second = try LineSocket(port: server.port)
            #expect(await second.readLine()?.contains(#""code":"overloaded""#) == true)
            #expect(await second.readLine() == nil)
            try await first.send(#"{"id":1,"op":"ping"}"# + "\n")
            #expect(await first.readLine() == #"{"id":1,"ok":true,"result":{"head":0}}"#)
        }
    }

    @Test func aFullStoreSaysStorageFullAndStillAnswersReads() async throws {
        try await TestServer.with(dir, mapSize: 1 << 20, maxMapSize: 2 << 20) { server in
            try await AccordClient.connect(port: server.port) { client in
                let pad = JSONValue.string(String(repeating: "x", count: 30_000))
                var code: String?
                for i in 0..<200 where code == nil {
                    do {
                        _ = try await client.request(
                            "append", Requests.append("$fill", Requests.event("Pad", ["i": .integer(Int64(i)), "pad": pad])))
                    } catch let error as ClientError {
                        code = error.code.rawValue
                    }
                }
                #expect(code == "storage_full")
                let head = try await client.request("ping")["head"]?.int64Value ?? 0
                #expect(head > 0)
                let read = try await client.request("read", ["agreementId": "$fill", "limit": 1])
                #expect(read["events"]?.arrayValue?.count == 1)
            }
        }
    }
}

@Suite struct ShuttingDownTests {
    let dir = TemporaryDirectory("closing")

    @Test func appendsAfterTheStoreClosesAreRefusedWithShuttingDown() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                server.store.close()
                do {
                    _ = try await client.request("append", Requests.append("$late", Requests.event("Noted", [:])))
                    Issue.record("an append was accepted after the store closed")
                } catch let error as ClientError {
                    #expect(error.code == "shutting_down")
                }
                #expect(try await client.request("ping")["head"] == 0)
            }
        }
    }
}
