extension Agreement {
    /// Folds one accepted event into the state. Pure and total: it trusts that
    /// `decide` accepted the event, and never reads the clock.
    public static func evolve(_ state: Agreement?, _ event: AgreementEvent, id: String, context: EventContext) -> Agreement? {
        if case .proposed(let p) = event {
            return Agreement(
                id: id, status: .proposed, recipient: p.recipient, projectTitle: p.projectTitle, purpose: p.purpose,
                publicBenefit: p.publicBenefit, datasets: p.datasets, dataItems: p.dataItems, reviewedItems: [],
                identifiability: p.identifiability, specialCategory: p.specialCategory, accessRoute: p.accessRoute,
                frequency: p.frequency, requestedStart: p.requestedStart, requestedEnd: p.requestedEnd, proposer: p.proposer,
                proposedOn: context.effectiveDate, lawEnforcement: LawEnforcementCounts(),
                version: context.version, lastPosition: context.position)
        }
        guard var a = state else { return nil }
        a.version = context.version
        a.lastPosition = context.position
        switch event {
        case .proposed:
            break
        case .legalReviewCompleted(let review):
            a.review = review
            if review.outcome.permitsSharing { a.reviewedItems = a.dataItems }
        case .approved(let approval):
            a.status = .approved
            a.panel = approval.panel
            a.decisionDate = approval.decisionDate
            a.startDate = approval.startDate
            a.endDate = approval.endDate
            a.reviewDate = approval.reviewDate
        case .rejected(let rejection):
            a.status = .rejected
            a.decisionDate = rejection.decisionDate
            a.closingReasons = rejection.reasons
        case .withdrawn(let withdrawal):
            a.status = .withdrawn
            a.closingReasons = [withdrawal.reason]
        case .renewed(let renewal):
            a.endDate = renewal.newEndDate
            a.lastRenewal = renewal.renewedOn
            if let reviewDate = renewal.reviewDate { a.reviewDate = reviewDate }
        case .amended(let amendment):
            if let items = amendment.dataItems { a.dataItems = items }
            if let purpose = amendment.purpose { a.purpose = purpose }
        case .suspended(let suspension):
            a.status = .suspended
            a.suspensionReason = suspension.reason
        case .reinstated:
            a.status = .approved
            a.suspensionReason = nil
        case .revoked(let revocation):
            a.status = .revoked
            a.revokedOn = revocation.effectiveDate
            a.closingReasons = [revocation.reason]
        case .lawEnforcementAccess(let access):
            a.lawEnforcement.record(access.summary)
        }
        return a
    }
}

extension Agreement {
    /// Counts one law-enforcement request in place (the replay fast path;
    /// the same as `evolve` with the full event).
    public mutating func recordAccess(_ access: AccessSummary, version: UInt64, position: UInt64) {
        lawEnforcement.record(access)
        self.version = version
        lastPosition = position
    }
}
