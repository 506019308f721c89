/// The rules an event must pass against the agreement's current state.
public struct AgreementRules: Sendable {
    public var gateways: GatewayCatalogue
    public var disclosure: DisclosurePolicy

    public init(gateways: GatewayCatalogue = .standard, disclosure: DisclosurePolicy = .standard) {
        self.gateways = gateways
        self.disclosure = disclosure
    }

    /// Accepts `event` for agreement `id` in `state` (`nil`: not proposed yet),
    /// or throws `invalidTransition` / `validationFailed` with a sentence a
    /// case worker understands. Never reads the clock.
    public func decide(_ event: AgreementEvent, id: String, state: Agreement?) throws(AgreementError) {
        guard let a = state else {
            guard case .proposed(let proposal) = event else {
                throw .invalidTransition("cannot record \(event.typeName) for \(id): no agreement \(id) has been proposed")
            }
            return try checkProposal(proposal, id: id)
        }
        switch event {
        case .proposed:
            throw .invalidTransition("cannot propose \(id): it was proposed already")
        case .legalReviewCompleted(let review):
            try require(!a.status.isFinal, "record a legal review for", a)
            try checkReview(review, for: a)
        case .approved(let approval):
            try require(a.status == .proposed, "approve", a)
            guard let review = a.review, review.outcome.permitsSharing else {
                throw .invalidTransition("cannot approve \(id): no lawful legal review recorded")
            }
            guard a.itemsAwaitingReview.isEmpty else {
                throw .invalidTransition("cannot approve \(id): \(list(a.itemsAwaitingReview)) added since the last legal review")
            }
            try checkApproval(approval, id: id)
        case .rejected(let rejection):
            try require(a.status == .proposed, "reject", a)
            try nonEmpty(rejection.reasons, "reasons")
            try nonBlank(rejection.decidedBy, "decidedBy")
        case .withdrawn(let withdrawal):
            try require(a.status == .proposed, "withdraw", a)
            try nonBlank(withdrawal.withdrawnBy, "withdrawnBy")
        case .renewed(let renewal):
            try require(a.status == .approved || a.status == .suspended, "renew", a)
            if let end = a.endDate, renewal.newEndDate <= end {
                throw .validationFailed(
                    "cannot renew \(id): the new end date \(renewal.newEndDate) is not after the current end date \(end)",
                    field: "newEndDate")
            }
            try nonBlank(renewal.approver, "approver")
        case .amended(let amendment):
            try require(!a.status.isFinal, "amend", a)
            guard amendment.dataItems != nil || amendment.purpose != nil else {
                throw .validationFailed("an amendment of \(id) must change dataItems or purpose", field: "dataItems")
            }
            if let items = amendment.dataItems { try nonEmpty(items, "dataItems") }
            if let purpose = amendment.purpose { try nonBlank(purpose, "purpose") }
        case .suspended(let suspension):
            try require(a.status == .approved, "suspend", a)
            try nonBlank(suspension.reason, "reason")
        case .reinstated:
            try require(a.status == .suspended, "reinstate", a)
        case .revoked(let revocation):
            try require(a.status == .approved || a.status == .suspended, "revoke", a)
            try nonBlank(revocation.reason, "reason")
        case .lawEnforcementAccess(let access):
            try checkAccess(access, under: a)
        }
    }

    private func require(_ allowed: Bool, _ action: String, _ a: Agreement) throws(AgreementError) {
        guard !allowed else { return }
        throw .invalidTransition("cannot \(action) \(a.id): it is \(a.status.rawValue)")
    }

    /// The longest recipient id: it is a key of the recipient index (as a stream name is of the log's).
    public static let maxRecipientIdBytes = 200

    private func checkProposal(_ p: AgreementProposed, id: String) throws(AgreementError) {
        try nonBlank(p.recipient.id, "recipient.id")
        guard p.recipient.id.utf8.count <= Self.maxRecipientIdBytes else {
            throw .validationFailed("recipient.id must be at most \(Self.maxRecipientIdBytes) bytes", field: "recipient.id")
        }
        if let problem = p.recipient.id.nameProblem { throw .validationFailed("recipient.id \(problem)", field: "recipient.id") }
        try nonBlank(p.recipient.name, "recipient.name")
        try nonBlank(p.projectTitle, "projectTitle")
        try nonBlank(p.purpose, "purpose")
        try nonBlank(p.proposer, "proposer")
        try nonEmpty(p.dataItems, "dataItems")
        guard p.requestedEnd > p.requestedStart else {
            throw .validationFailed(
                "\(id): the requested end date \(p.requestedEnd) must be after the start date \(p.requestedStart)", field: "requestedEnd")
        }
    }

    private func checkReview(_ review: LegalReviewCompleted, for a: Agreement) throws(AgreementError) {
        try nonBlank(review.reviewer, "reviewer")
        guard let gateway = gateways[review.gatewayId] else {
            throw .validationFailed(
                "unknown legal gateway \(review.gatewayId); known gateways: \(gateways.gateways.map(\.id).joined(separator: ", "))",
                field: "gatewayId")
        }
        guard gateway.permits.contains(a.recipient.category) else {
            throw .validationFailed(
                "\(gateway.title) (\(gateway.id)) does not permit sharing with \(a.recipient.name), a \(a.recipient.category.rawValue) recipient",
                field: "gatewayId")
        }
        if gateway.deIdentifiedOnly == true, a.identifiability == .identifiable {
            throw .validationFailed(
                "\(gateway.title) permits de-identified data only; \(a.id) asks for identifiable data", field: "gatewayId")
        }
        if a.specialCategory, review.outcome.permitsSharing, (review.article9Condition ?? "").isBlank {
            throw .validationFailed(
                "\(a.id) involves special-category data: a lawful review must name an Article 9 condition", field: "article9Condition")
        }
    }

    private func checkApproval(_ approval: AgreementApproved, id: String) throws(AgreementError) {
        let unmet = approval.fiveSafes.unmet
        guard unmet.isEmpty else {
            throw .validationFailed(
                "cannot approve \(id): safe \(unmet.joined(separator: ", safe ")) not met", field: "fiveSafes.\(unmet[0])")
        }
        guard approval.endDate > approval.startDate else {
            throw .validationFailed(
                "cannot approve \(id): the end date \(approval.endDate) must be after the start date \(approval.startDate)",
                field: "endDate")
        }
        try nonEmpty(approval.principlesMet, "principlesMet")
        try nonBlank(approval.panel, "panel")
    }

    private func checkAccess(_ access: LawEnforcementAccessRecorded, under a: Agreement) throws(AgreementError) {
        guard a.recipient.category.isLawEnforcement else {
            throw .validationFailed(
                "cannot record law-enforcement access under \(a.id): its recipient \(a.recipient.name) is a \(a.recipient.category.rawValue), not police, Home Office, court or crime prevention"
            )
        }
        guard a.status == .approved else {
            throw .invalidTransition("cannot record law-enforcement access under \(a.id): it is \(a.status.rawValue)")
        }
        switch a.effectiveStatus(on: access.requestDate) {
        case .inForce: break
        case let other:
            throw .invalidTransition(
                "cannot record law-enforcement access under \(a.id): on \(access.requestDate) it is \(other.rawValue.replacingUnderscores)")
        }
        try nonBlank(access.requestReference, "requestReference")
        try nonBlank(access.decidedBy, "decidedBy")
        if access.grounds == .courtOrder, (access.courtOrderReference ?? "").isBlank {
            throw .validationFailed("a request on court_order grounds needs a courtOrderReference", field: "courtOrderReference")
        }
        if (access.evidenceReference ?? "").isBlank, (access.courtOrderReference ?? "").isBlank {
            throw .validationFailed(
                "a law-enforcement request needs an evidenceReference unless a courtOrderReference is given", field: "evidenceReference")
        }
        try checkCounts(access)
        for (index, item) in access.dataItemsDisclosed.enumerated() {
            let field = "dataItemsDisclosed[\(index)]"
            if disclosure.forbidden.contains(item) {
                throw .validationFailed("\(item) is never disclosed to law enforcement", field: field)
            }
            guard disclosure.allowed.contains(item) else {
                throw .validationFailed("\(item) is not on the law-enforcement disclosure allow-list", field: field)
            }
            guard a.dataItems.contains(item) else {
                throw .validationFailed("\(item) is not covered by \(a.id)", field: field)
            }
            guard a.reviewedItems.contains(item) else {
                throw .validationFailed(
                    "\(item) was added to \(a.id) after its last legal review and needs a new review before use", field: field)
            }
        }
    }

    private func checkCounts(_ access: LawEnforcementAccessRecorded) throws(AgreementError) {
        guard access.subjectsRequested >= 0, access.subjectsMatched >= 0, access.subjectsDisclosed >= 0 else {
            throw .validationFailed("subject counts cannot be negative", field: "subjectsRequested")
        }
        guard access.subjectsDisclosed <= access.subjectsMatched, access.subjectsMatched <= access.subjectsRequested else {
            throw .validationFailed(
                "subjects disclosed (\(access.subjectsDisclosed)) ≤ matched (\(access.subjectsMatched)) ≤ requested (\(access.subjectsRequested)) must hold",
                field: "subjectsDisclosed")
        }
        switch access.decision {
        case .disclosed:
            guard access.subjectsDisclosed > 0, !access.dataItemsDisclosed.isEmpty else {
                throw .validationFailed("a disclosed decision must disclose at least one subject and one data item", field: "decision")
            }
        case .refused:
            guard access.subjectsDisclosed == 0, access.dataItemsDisclosed.isEmpty else {
                throw .validationFailed("a refused request cannot disclose data", field: "decision")
            }
        case .noMatch:
            guard access.subjectsMatched == 0, access.subjectsDisclosed == 0, access.dataItemsDisclosed.isEmpty else {
                throw .validationFailed("a no_match decision cannot match or disclose subjects", field: "decision")
            }
        }
    }

    private func nonBlank(_ value: String, _ field: String) throws(AgreementError) {
        if value.isBlank { throw .validationFailed("\(field) must not be empty", field: field) }
    }

    private func nonEmpty<T>(_ values: [T], _ field: String) throws(AgreementError) {
        if values.isEmpty { throw .validationFailed("\(field) must list at least one entry", field: field) }
    }

    private func list(_ items: [String]) -> String {
        items.count == 1 ? "item \(items[0]) was" : "items \(items.joined(separator: ", ")) were"
    }
}
