import AccordCore

/// The panel's approval against the Five Safes and the sharing principles.
public struct AgreementApproved: Codable, Sendable, Hashable {
    /// The approving panel, e.g. `DSAP`.
    public var panel: String
    public var decisionDate: CalendarDate
    public var fiveSafes: FiveSafes
    public var principlesMet: [SharingPrinciple]
    public var conditions: [String]?
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    public var reviewDate: CalendarDate?

    public init(
        panel: String, decisionDate: CalendarDate, fiveSafes: FiveSafes, principlesMet: [SharingPrinciple],
        conditions: [String]? = nil, startDate: CalendarDate, endDate: CalendarDate, reviewDate: CalendarDate? = nil
    ) {
        self.panel = panel
        self.decisionDate = decisionDate
        self.fiveSafes = fiveSafes
        self.principlesMet = principlesMet
        self.conditions = conditions
        self.startDate = startDate
        self.endDate = endDate
        self.reviewDate = reviewDate
    }
}
