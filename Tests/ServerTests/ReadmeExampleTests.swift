import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// README's two client examples, as written there (with the test server's
/// port), against a real server.
@Suite struct ReadmeExampleTests {
    let dir = TemporaryDirectory("readme")

    /// An approved police agreement, as the tour sets one up.
    static func approvedAgreement(port: Int) async throws {
        try await AccordClient.connect(ClientConfiguration(port: port)) { client in
            _ = try await client.request(
                "append",
                Requests.append(
                    "DSA-0042", Requests.event("AgreementProposed", Requests.proposal),
                    Requests.event("LegalReviewCompleted", Requests.review),
                    Requests.event("AgreementApproved", Requests.approval)))
        }
    }

    @Test func aCaseSystemRecordsARequestAndChecksItsReceipt() async throws {
        try await TestServer.with(dir) { testServer in
            try await Self.approvedAgreement(port: testServer.port)
            let server = ClientConfiguration(
                host: "127.0.0.1", port: testServer.port, token: ProcessInfo.processInfo.environment["ACCORD_TOKEN"])
            let request = NewEvent(
                eventId: UUID.timeOrdered(), type: "LawEnforcementAccessRecorded",
                data: try CanonicalJSON(
                    parsing: Array(
                        #"{"requestReference":"MPS-2025-118","requestDate":"2025-03-10","requesterType":"police","requesterOrganisation":"Metropolitan Police Service","legalAuthority":"DPA 2018 Sch 2 para 2","grounds":"child_at_risk","evidenceReference":"CAD-4471","dataItemsRequested":["name","address"],"dataItemsDisclosed":["name","address"],"subjectsRequested":2,"subjectsMatched":2,"subjectsDisclosed":2,"decision":"disclosed","decidedBy":"dpo@dfe"}"#
                            .utf8)))
            let position = try await AccordClient.connect(server) { client in
                // Durable when it returns; retrying with the same event id is safe.
                let receipt = try await client.append(to: try StreamName("DSA-0042"), events: [request])
                // Recomputes the event's leaf and proves it is in the log's Merkle tree.
                try await client.verify(receipt, events: [request])
                print("recorded at position \(receipt.positions[0]), in the tree of \(receipt.treeSize) events")
                return receipt.positions[0]
            }
            #expect(position == 3)
        }
    }

    @Test func aReportingToolKeepsACopyOfTheRegister() async throws {
        try await TestServer.with(dir) { testServer in
            var server = ClientConfiguration(
                host: "127.0.0.1", port: testServer.port, token: ProcessInfo.processInfo.environment["ACCORD_TOKEN"])
            server.reconnect = .always
            let copy = try await AccordClient.connect(server) { client in
                var register: [String: JSONValue] = [:]
                for try await change in try await client.watch(.register) {
                    switch change {
                    case .snapshot(let position, let rows):
                        register = Dictionary(rows.compactMap { row in row["reference"]?.stringValue.map { ($0, row) } }) { $1 }
                        print("\(register.count) agreements as of position \(position)")
                        try await Self.approvedAgreement(port: testServer.port)
                    case .row(let position, let row, _):
                        if let reference = row["reference"]?.stringValue { register[reference] = row }
                        print(
                            "\(row["reference"]?.stringValue ?? "?") is \(row["effectiveStatus"]?.stringValue ?? "?") (position \(position))"
                        )
                    case .progress: break
                    }
                    if register.count == 1 { break }
                }
                return register
            }
            #expect(copy["DSA-0042"]?["status"] == "approved")
        }
    }
}
