import AccordJSON
import Foundation

/// Request bodies for a realistic agreement.
enum Requests {
    static func event(
        _ type: String, _ data: JSONValue, id: String = UUID().uuidString.lowercased(), occurredAt: String? = nil
    ) -> JSONValue {
        var event: [String: JSONValue] = ["eventId": .string(id), "type": .string(type), "data": data]
        if let occurredAt { event["occurredAt"] = .string(occurredAt) }
        return .object(JSONObject(event))
    }

    static func append(_ agreement: String, _ events: JSONValue..., expected: JSONValue = "any") -> [String: JSONValue] {
        ["agreementId": .string(agreement), "expectedVersion": expected, "events": .array(events)]
    }

    /// An agreement proposed, reviewed and approved, with one law-enforcement request under it (positions 0–3).
    static func approvedWithAccess(_ agreement: String) -> [String: JSONValue] {
        append(
            agreement, event("AgreementProposed", proposal), event("LegalReviewCompleted", review), event("AgreementApproved", approval),
            event("LawEnforcementAccessRecorded", access()))
    }

    static let proposal: JSONValue = [
        "recipient": ["id": "R-POL-1", "name": "Metropolitan Police Service", "category": "police"],
        "projectTitle": "Missing children", "purpose": "Safeguarding", "publicBenefit": "Children found sooner",
        "datasets": ["npd"], "dataItems": ["name", "address", "date_of_birth"], "identifiability": "identifiable",
        "specialCategory": false, "accessRoute": "extract", "frequency": "regular",
        "requestedStart": "2025-01-01", "requestedEnd": "2026-12-31", "proposer": "dfe",
    ]

    static let review: JSONValue = [
        "reviewer": "legal", "lawfulBasis": "public_task", "gatewayId": "dpa-2018-s2p2", "necessity": "needed",
        "dpiaReference": "DPIA-1", "outcome": "lawful",
    ]

    static let approval: JSONValue = [
        "panel": "DSAP", "decisionDate": "2024-12-20",
        "fiveSafes": [
            "people": ["rating": "met"], "projects": ["rating": "met"], "settings": ["rating": "met"],
            "data": ["rating": "met"], "outputs": ["rating": "met"],
        ],
        "principlesMet": ["clear_benefit"], "startDate": "2025-01-01", "endDate": "2025-12-31",
    ]

    static func access(_ day: String = "2025-03-10") -> JSONValue {
        [
            "requestReference": .string("REQ-\(day)"), "requestDate": .string(day), "requesterType": "police",
            "requesterOrganisation": "Met", "legalAuthority": "DPA 2018 Sch 2 para 2", "grounds": "child_at_risk",
            "evidenceReference": "EV-1", "dataItemsRequested": ["name"], "dataItemsDisclosed": ["name"],
            "subjectsRequested": 1, "subjectsMatched": 1, "subjectsDisclosed": 1, "decision": "disclosed", "decidedBy": "DPO",
        ]
    }
}
