import AccordCore

/// One line of the published register: what the department shares, with
/// whom, under which law, and how it stands on the register's date.
public struct RegisterRow: Codable, Sendable, Hashable {
    public var reference: String
    public var recipientId: String
    public var recipientName: String
    public var recipientCategory: RecipientCategory
    public var projectTitle: String
    public var purpose: String
    public var gatewayId: String?
    public var lawfulBasis: LawfulBasis?
    public var dataItems: [String]
    public var identifiability: Identifiability
    public var accessRoute: AccessRoute
    public var frequency: Frequency
    public var status: AgreementStatus
    public var effectiveStatus: EffectiveStatus
    public var decisionDate: CalendarDate?
    public var startDate: CalendarDate?
    public var endDate: CalendarDate?
    public var reviewDate: CalendarDate?
    public var reviewDue: Bool
    public var lastRenewal: CalendarDate?
    public var revokedOn: CalendarDate?
    public var lawEnforcementRequests: Int
    public var lawEnforcementDisclosures: Int
    public var subjectsDisclosed: Int
    /// The log position of the agreement's last event.
    public var position: UInt64
    /// Set when an event of the agreement's stream could not be folded: the row is as it stood before it.
    public var damaged: AgreementDamage?

    /// The row for `agreement` on `date`.
    public init(_ a: Agreement, on date: CalendarDate) {
        reference = a.id
        recipientId = a.recipient.id
        recipientName = a.recipient.name
        recipientCategory = a.recipient.category
        projectTitle = a.projectTitle
        purpose = a.purpose
        gatewayId = a.review?.gatewayId
        lawfulBasis = a.review?.lawfulBasis
        dataItems = a.dataItems
        identifiability = a.identifiability
        accessRoute = a.accessRoute
        frequency = a.frequency
        status = a.status
        effectiveStatus = a.effectiveStatus(on: date)
        decisionDate = a.decisionDate
        startDate = a.startDate
        endDate = a.endDate
        reviewDate = a.reviewDate
        reviewDue = a.isReviewDue(on: date)
        lastRenewal = a.lastRenewal
        revokedOn = a.revokedOn
        lawEnforcementRequests = a.lawEnforcement.requests
        lawEnforcementDisclosures = a.lawEnforcement.disclosures
        subjectsDisclosed = a.lawEnforcement.subjectsDisclosed
        position = a.lastPosition
        damaged = a.damage
    }
}
