import AccordCore
/// The panel refused the application. Final.
public struct AgreementRejected: Codable, Sendable, Hashable {
    public var reasons: [String]
    public var decidedBy: String
    public var decisionDate: CalendarDate

    public init(reasons: [String], decidedBy: String, decisionDate: CalendarDate) {
        self.reasons = reasons
        self.decidedBy = decidedBy
        self.decisionDate = decisionDate
    }
}

/// The applicant withdrew before a decision. Final.
public struct ApplicationWithdrawn: Codable, Sendable, Hashable {
    public var reason: String
    public var withdrawnBy: String

    public init(reason: String, withdrawnBy: String) {
        self.reason = reason
        self.withdrawnBy = withdrawnBy
    }
}

/// The agreement runs longer.
public struct AgreementRenewed: Codable, Sendable, Hashable {
    /// Must be later than the current end date.
    public var newEndDate: CalendarDate
    public var approver: String
    public var renewedOn: CalendarDate
    public var reviewDate: CalendarDate?

    public init(newEndDate: CalendarDate, approver: String, renewedOn: CalendarDate, reviewDate: CalendarDate? = nil) {
        self.newEndDate = newEndDate
        self.approver = approver
        self.renewedOn = renewedOn
        self.reviewDate = reviewDate
    }
}

/// Changed data items or purpose. Items beyond the reviewed ones may not be
/// used until a new lawful legal review covers them.
public struct AgreementAmended: Codable, Sendable, Hashable {
    public var dataItems: [String]?
    public var purpose: String?
    public var reason: String
    public var amendedBy: String

    public init(dataItems: [String]? = nil, purpose: String? = nil, reason: String, amendedBy: String) {
        self.dataItems = dataItems
        self.purpose = purpose
        self.reason = reason
        self.amendedBy = amendedBy
    }
}

/// Sharing stops for now, e.g. after a breach.
public struct AgreementSuspended: Codable, Sendable, Hashable {
    public var reason: String
    public var breachReference: String?
    public var suspendedBy: String

    public init(reason: String, breachReference: String? = nil, suspendedBy: String) {
        self.reason = reason
        self.breachReference = breachReference
        self.suspendedBy = suspendedBy
    }
}

/// Sharing resumes after a suspension.
public struct AgreementReinstated: Codable, Sendable, Hashable {
    public var reason: String
    public var reinstatedBy: String

    public init(reason: String, reinstatedBy: String) {
        self.reason = reason
        self.reinstatedBy = reinstatedBy
    }
}

/// Sharing ends for good.
public struct AgreementRevoked: Codable, Sendable, Hashable {
    public var reason: String
    public var revokedBy: String
    /// When the revocation takes effect; may be backdated.
    public var effectiveDate: CalendarDate

    public init(reason: String, revokedBy: String, effectiveDate: CalendarDate) {
        self.reason = reason
        self.revokedBy = revokedBy
        self.effectiveDate = effectiveDate
    }
}
