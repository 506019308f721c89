import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import NIOCore
import Testing
import WireProtocol

@testable import Server

/// A client polling what it may see cannot grow the log without bound, and
/// every read stays on the record.
@Suite struct AuditCoalescingTests {
    let dir = TemporaryDirectory("audit-coalescing")

    static func read(_ principal: String, _ positions: [UInt64], op: String = "recipient") -> AuditedReadRequest {
        AuditedReadRequest(
            principal: principal, op: op, requestId: 1, records: positions.map { .init(agreementId: "DSA-1", position: $0) })
    }

    @Test func identicalReadsShareAWindowOthersDoNot() {
        let ledger = AuditLedger(window: .seconds(60))
        let start = NIODeadline.now()
        #expect(ledger.cover(Self.read("police", [3]), now: start) == nil, "the first read is recorded on its own")
        ledger.recorded(Self.read("police", [3]), recordedBy: "police", at: 7, now: start)
        #expect(ledger.cover(Self.read("police", [3]), now: start + .seconds(1)) == 7)
        #expect(ledger.cover(Self.read("police", [3]), now: start + .seconds(2)) == 7)
        #expect(ledger.cover(Self.read("police", [3, 9]), now: start + .seconds(2)) == nil, "a new record is disclosed")
        #expect(ledger.cover(Self.read("regulator", [3]), now: start + .seconds(2)) == nil, "another principal")
        #expect(ledger.cover(Self.read("police", [3], op: "read"), now: start + .seconds(2)) == nil, "another operation")
        #expect(ledger.cover(Self.read("police", [3]), now: start + .seconds(61)) == nil, "the window ended")
        #expect(ledger.close(endedBy: start + .seconds(30)).isEmpty)
        let due = ledger.close(endedBy: start + .seconds(61))
        #expect(due.map(\.reads) == [2] && due.first?.coveredBy == 7)
        #expect(ledger.count == 0)
    }

    @Test func aZeroWindowRecordsEveryRead() {
        let ledger = AuditLedger(window: .zero)
        ledger.recorded(Self.read("police", [3]), recordedBy: "police", at: 7)
        #expect(ledger.cover(Self.read("police", [3])) == nil)
        #expect(ledger.windowEnd() == nil)
    }

    @Test func theLedgerIsBounded() {
        let ledger = AuditLedger(window: .seconds(60), maxEntries: 2)
        for n in 0..<5 { ledger.recorded(Self.read("p\(n)", [1]), recordedBy: "p\(n)", at: UInt64(n)) }
        #expect(ledger.count == 2)
        #expect(ledger.cover(Self.read("p4", [1])) == nil, "beyond the bound a read is recorded on its own")
    }

    /// A recipient polling its own view 200 times: one `AuditedRead` with
    /// `repeatsUntil`, and at shutdown one `AuditedReadsRepeated` counting the other 199.
    @Test func aRecipientPollingItsViewAddsTwoAuditEvents() async throws {
        let (tokens, secrets) = try AuthTests.tokens()
        try await TestServer.with(dir, configure: { $0.tokens = tokens }) { server in
            try await AccordClient.connect(ClientConfiguration(port: server.port, token: secrets["admin"])) { client in
                try await client.request("append", Requests.approvedWithAccess("DSA-1"))
            }
            try await AccordClient.connect(ClientConfiguration(port: server.port, token: secrets["recipient"])) { client in
                for _ in 0..<200 {
                    let view = try await client.request("recipient", ["recipientId": "R-POL-1"])
                    #expect(view["lawEnforcementRequests"]?.arrayValue?.count == 1)
                }
            }
            let during = try await server.readable().readStream(StreamName("$audit"))
            #expect(during.count == 1)
            #expect(try during.first?.data.value()["repeatsUntil"]?.stringValue != nil)
            await server.shutdown()
            var audits = during
            for _ in 0..<500 where audits.count < 2 {
                try await Task.sleep(for: .milliseconds(10))
                audits = try server.store.readStream(StreamName("$audit"))
            }
            #expect(audits.map(\.type) == ["AuditedRead", "AuditedReadsRepeated"])
            let repeats = try audits.last?.data.value()
            #expect(repeats?["reads"] == 199)
            #expect(repeats?["coveredBy"] == .integer(Int64(during[0].position)))
            #expect(repeats?["principal"] == "police")
        }
    }
}
