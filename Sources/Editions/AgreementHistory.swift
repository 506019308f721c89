import AccordCore
import Agreements

/// An agreement's history as its page shows it: each lifecycle event, and
/// its law-enforcement requests counted by month.
struct AgreementHistory: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        var position: UInt64
        var type: String
        /// When it took effect (`occurredAt`, else when it was recorded).
        var effective: CalendarDate
        var recorded: Timestamp
        var principal: String?
        var summary: String
    }

    var entries: [Entry] = []
    /// Requests by the first day of their month.
    var requests: [CalendarDate: AccessTally] = [:]

    mutating func record(_ event: AgreementEvent, _ recorded: RecordedEvent) {
        entries.append(
            Entry(
                position: recorded.position, type: recorded.type, effective: CalendarDate(recorded.effectiveAt),
                recorded: recorded.recordedAt, principal: recorded.principal, summary: Self.summary(event).publishedText))
    }

    static func summary(_ event: AgreementEvent) -> String {
        switch event {
        case .proposed(let p):
            "Proposed by \(p.proposer): \(p.projectTitle), for \(p.requestedStart) to \(p.requestedEnd)"
        case .legalReviewCompleted(let r):
            "Legal review by \(r.reviewer): \(r.outcome.rawValue), gateway \(r.gatewayId), basis \(r.lawfulBasis.rawValue)"
        case .approved(let a):
            "Approved by \(a.panel) on \(a.decisionDate), from \(a.startDate) to \(a.endDate)"
        case .rejected(let r):
            "Rejected by \(r.decidedBy) on \(r.decisionDate): \(r.reasons.joined(separator: "; "))"
        case .withdrawn(let w):
            "Withdrawn by \(w.withdrawnBy): \(w.reason)"
        case .renewed(let r):
            "Renewed by \(r.approver) on \(r.renewedOn), to \(r.newEndDate)"
        case .amended(let a):
            "Amended by \(a.amendedBy): \(a.reason)"
        case .suspended(let s):
            "Suspended by \(s.suspendedBy): \(s.reason)"
        case .reinstated(let r):
            "Reinstated by \(r.reinstatedBy): \(r.reason)"
        case .revoked(let r):
            "Revoked by \(r.revokedBy) from \(r.effectiveDate): \(r.reason)"
        case .lawEnforcementAccess(let a):
            "Request \(a.requestReference) by \(a.requesterOrganisation): \(a.decision.rawValue)"
        }
    }
}
