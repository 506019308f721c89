import AccordCore
import Agreements

/// Sample agreement events shared by the domain and registry tests.
public func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

public enum Samples {
    public static let police = Recipient(id: "R-POL-1", name: "Metropolitan Police Service", category: .police)
    public static let university = Recipient(id: "R-UNI-1", name: "University of Leeds", category: .researcher)

    public static func proposal(
        _ recipient: Recipient = police, items: [String] = ["name", "date_of_birth", "address", "school"],
        identifiability: Identifiability = .identifiable, special: Bool = false
    ) -> AgreementEvent {
        .proposed(
            AgreementProposed(
                recipient: recipient, projectTitle: "Locating children missing education", purpose: "Safeguarding enquiries",
                publicBenefit: "Children at risk are found sooner", datasets: ["npd"], dataItems: items,
                identifiability: identifiability, specialCategory: special, accessRoute: .extract, frequency: .regular,
                requestedStart: date("2025-01-01"), requestedEnd: date("2026-12-31"), proposer: "case.worker@dfe"))
    }

    public static func review(
        _ gateway: String = "dpa-2018-s2p2", outcome: ReviewOutcome = .lawful, article9: String? = nil
    ) -> AgreementEvent {
        .legalReviewCompleted(
            LegalReviewCompleted(
                reviewer: "legal@dfe", lawfulBasis: .publicTask, article9Condition: article9, gatewayId: gateway,
                necessity: "No less intrusive means", dpiaReference: "DPIA-17", outcome: outcome))
    }

    public static let allMet = FiveSafes(
        people: .init(.met), projects: .init(.met), settings: .init(.met), data: .init(.met), outputs: .init(.met))

    public static func approval(
        start: String = "2025-01-01", end: String = "2025-12-31", safes: FiveSafes = allMet, review: String? = "2025-07-01"
    ) -> AgreementEvent {
        .approved(
            AgreementApproved(
                panel: "DSAP", decisionDate: date("2024-12-15"), fiveSafes: safes, principlesMet: [.clearBenefit],
                startDate: date(start), endDate: date(end), reviewDate: review.map(date)))
    }

    public static let rejection = AgreementEvent.rejected(
        AgreementRejected(reasons: ["No public benefit"], decidedBy: "DSAP", decisionDate: date("2024-12-15")))
    public static let withdrawal = AgreementEvent.withdrawn(ApplicationWithdrawn(reason: "Project cancelled", withdrawnBy: "applicant"))
    public static func renewal(to end: String = "2026-12-31") -> AgreementEvent {
        .renewed(AgreementRenewed(newEndDate: date(end), approver: "DSAP", renewedOn: date("2025-11-01")))
    }
    public static func amendment(items: [String]? = nil, purpose: String? = "Safeguarding and attendance enquiries") -> AgreementEvent {
        .amended(AgreementAmended(dataItems: items, purpose: purpose, reason: "Scope change", amendedBy: "case.worker@dfe"))
    }
    public static let suspension = AgreementEvent.suspended(
        AgreementSuspended(reason: "Breach", breachReference: "BR-9", suspendedBy: "DPO"))
    public static let reinstatement = AgreementEvent.reinstated(AgreementReinstated(reason: "Breach resolved", reinstatedBy: "DPO"))
    public static func revocation(on day: String = "2025-06-01") -> AgreementEvent {
        .revoked(AgreementRevoked(reason: "No longer needed", revokedBy: "DPO", effectiveDate: date(day)))
    }

    public static func access(
        on day: String = "2025-03-10", disclosed: [String] = ["name", "address"], decision: AccessDecision = .disclosed,
        requester: RequesterType = .police, requested: Int = 3, matched: Int = 2, subjects: Int = 2,
        evidence: String? = "EV-1", courtOrder: String? = nil, grounds: AccessGrounds = .childAtRisk
    ) -> AgreementEvent {
        .lawEnforcementAccess(
            LawEnforcementAccessRecorded(
                requestReference: "REQ-\(day)", requestDate: date(day), requesterType: requester,
                requesterOrganisation: "Metropolitan Police Service", legalAuthority: "DPA 2018 Sch 2 para 2", grounds: grounds,
                evidenceReference: evidence, courtOrderReference: courtOrder, dataItemsRequested: disclosed,
                dataItemsDisclosed: decision == .disclosed ? disclosed : [], subjectsRequested: requested,
                subjectsMatched: decision == .noMatch ? 0 : matched, subjectsDisclosed: decision == .disclosed ? subjects : 0,
                decision: decision, decidedBy: "DPO"))
    }
}
