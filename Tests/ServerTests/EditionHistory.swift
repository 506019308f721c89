import AccordClient
import AccordJSON
import Foundation

/// A register for edition tests: every sheet has rows, and the values are
/// the odd-but-valid ones a clumsy case system sends (quotes, commas, line
/// breaks, tabs, a control character, runs of spaces, markup, non-Latin text).
enum EditionHistory {
    static let odd = "  Fish & \"chips\", <b>bold</b>\tand\nnew line  \u{1}é 漢字 🚀  "

    static func proposal(_ name: String, category: String, frequency: String = "regular", purpose: String = "Safeguarding") -> JSONValue {
        [
            "recipient": ["id": .string("R-\(name)"), "name": .string(name), "category": .string(category)],
            "projectTitle": .string("Project \(name)"), "purpose": .string(purpose), "publicBenefit": "Children found sooner",
            "datasets": ["npd"], "dataItems": ["name", "address", "date_of_birth"], "identifiability": "identifiable",
            "specialCategory": false, "accessRoute": "extract", "frequency": .string(frequency),
            "requestedStart": "2017-01-01", "requestedEnd": "2030-12-31", "proposer": "dfe",
        ]
    }

    static func approval(decided: String, start: String = "2018-01-01", end: String = "2030-12-31") -> JSONValue {
        var approval = Requests.approval.objectValue!
        approval["decisionDate"] = .string(decided)
        approval["startDate"] = .string(start)
        approval["endDate"] = .string(end)
        return .object(approval)
    }

    static func access(
        _ day: String, requester: String, organisation: String, subjects: Int = 2, decision: String = "disclosed"
    )
        -> JSONValue
    {
        var access = Requests.access(day).objectValue!
        access["requestReference"] = .string("REQ-\(UUID().uuidString.prefix(8))")
        access["requesterType"] = .string(requester)
        access["requesterOrganisation"] = .string(organisation)
        access["subjectsRequested"] = .integer(Int64(subjects))
        access["subjectsMatched"] = .integer(Int64(decision == "no_match" ? 0 : subjects))
        access["subjectsDisclosed"] = .integer(Int64(decision == "disclosed" ? subjects : 0))
        access["decision"] = .string(decision)
        if decision != "disclosed" { access["dataItemsDisclosed"] = [] }
        if requester == "court" {
            access["grounds"] = "court_order"
            access["courtOrderReference"] = "CO-1"
        }
        return .object(access)
    }

    /// Appends the history; returns the log's head.
    static func append(to client: AccordClient) async throws {
        let agreements: [(String, JSONValue, JSONValue, [JSONValue])] = [
            (
                "DSA-POL-1", proposal("Metropolitan Police Service", category: "police"), approval(decided: "2024-12-20"),
                [
                    access("2025-03-10", requester: "police", organisation: "Metropolitan Police Service"),
                    access("2025-03-20", requester: "police", organisation: "Metropolitan Police Service", subjects: 2_000),
                    access("2025-04-02", requester: "other", organisation: "National Crime Agency", decision: "refused"),
                ]
            ),
            (
                "DSA-HO-1", proposal("Home Office", category: "home_office"), approval(decided: "2019-05-01"),
                [
                    access("2025-02-03", requester: "home_office", organisation: "Home Office", subjects: 120),
                    access("2025-02-17", requester: "home_office", organisation: "Home Office", subjects: 30, decision: "no_match"),
                ]
            ),
            (
                "DSA-CRT-1", proposal("Family Court", category: "court"), approval(decided: "2020-02-02"),
                [access("2025-05-05", requester: "court", organisation: "Family Court at Leeds", subjects: 1)]
            ),
            (
                "DSA-ODD \"1\", é", proposal("Odd & \"Co\", <Research>", category: "researcher", frequency: "one_off", purpose: odd),
                approval(decided: "2023-03-03"), []
            ),
            ("NPD-2016-7", proposal("Old University", category: "researcher", frequency: "one_off"), approval(decided: "2016-07-01"), []),
        ]
        for (id, proposal, approval, accesses) in agreements {
            var review = Requests.review.objectValue!
            let category = proposal["recipient"]?["category"]?.stringValue
            review["gatewayId"] = category == "court" ? "court-order" : category == "researcher" ? "ed-ipi-2009" : "dpa-2018-s2p2"
            let events =
                [
                    Requests.event("AgreementProposed", proposal), Requests.event("LegalReviewCompleted", .object(review)),
                    Requests.event("AgreementApproved", approval),
                ] + accesses.map { Requests.event("LawEnforcementAccessRecorded", $0) }
            try await client.request("append", ["agreementId": .string(id), "expectedVersion": "no_stream", "events": .array(events)])
        }
        // Rejected applications are not shares: no sheet lists them.
        try await client.request(
            "append",
            Requests.append(
                "DSA-REJ-1", Requests.event("AgreementProposed", proposal("Data Broker Ltd", category: "other")),
                Requests.event("AgreementRejected", ["reasons": ["No public benefit"], "decidedBy": "DSAP", "decisionDate": "2025-01-09"])))
    }
}
