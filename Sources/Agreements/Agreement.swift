import AccordCore

/// One agreement as its events left it: the fold of its stream.
///
/// A pure value: built only by `Agreement.evolve`, never from the wall clock.
/// Whether it is in force on a date is `effectiveStatus(on:)`.
public struct Agreement: Codable, Sendable, Hashable {
    public var id: String
    public var status: AgreementStatus
    public var recipient: Recipient
    public var projectTitle: String
    public var purpose: String
    public var publicBenefit: String
    public var datasets: [String]
    /// The items the agreement currently names.
    public var dataItems: [String]
    /// The items the last lawful legal review covered; items named since then
    /// may not be used until another review covers them.
    public var reviewedItems: [String]
    public var identifiability: Identifiability
    public var specialCategory: Bool
    public var accessRoute: AccessRoute
    public var frequency: Frequency
    public var requestedStart: CalendarDate
    public var requestedEnd: CalendarDate
    public var proposer: String
    public var proposedOn: CalendarDate
    /// The latest legal review.
    public var review: LegalReviewCompleted?
    public var panel: String?
    public var decisionDate: CalendarDate?
    public var startDate: CalendarDate?
    public var endDate: CalendarDate?
    public var reviewDate: CalendarDate?
    public var lastRenewal: CalendarDate?
    public var suspensionReason: String?
    public var revokedOn: CalendarDate?
    /// Why it was rejected, withdrawn or revoked.
    public var closingReasons: [String]?
    public var lawEnforcement: LawEnforcementCounts
    /// The stream version of the last event folded in.
    public var version: UInt64
    /// The log position of the last event folded in.
    public var lastPosition: UInt64
    /// Set when an event of its stream could not be folded (`AgreementDamage`).
    public var damage: AgreementDamage?

    /// Items named by the agreement that a lawful review has covered.
    public var usableItems: Set<String> { Set(dataItems).intersection(reviewedItems) }

    /// Items added since the last lawful review.
    public var itemsAwaitingReview: [String] { dataItems.filter { !reviewedItems.contains($0) } }
}

extension Agreement {
    /// The agreement's standing on `date`, from its status and dates.
    public func effectiveStatus(on date: CalendarDate) -> EffectiveStatus {
        switch status {
        case .proposed: return .proposed
        case .rejected: return .rejected
        case .withdrawn: return .withdrawn
        case .suspended: return .suspended
        case .revoked:
            if let revokedOn, date >= revokedOn { return .revoked }
            return datedStatus(on: date)
        case .approved:
            return datedStatus(on: date)
        }
    }

    private func datedStatus(on date: CalendarDate) -> EffectiveStatus {
        guard let startDate, let endDate else { return .proposed }
        if date < startDate { return .approvedNotStarted }
        if date > endDate { return .expired }
        return .inForce
    }

    /// Whether a review is due on `date`: the agreement is live on it
    /// (`EffectiveStatus.isLive`) and its review date is on or before it.
    /// The register row, its CSV column and the `reviewDue` filter all use this.
    public func isReviewDue(on date: CalendarDate) -> Bool {
        guard let reviewDate, date >= reviewDate else { return false }
        return effectiveStatus(on: date).isLive
    }
}
