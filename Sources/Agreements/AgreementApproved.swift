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

extension AgreementApproved {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "panel", "decisionDate", "fiveSafes", "principlesMet", "conditions", "startDate", "endDate", "reviewDate")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(
            panel: try data.string(0), decisionDate: try data.date(1), fiveSafes: try data.object(2, keys: FiveSafes.keys, FiveSafes.init),
            principlesMet: try data.enumerations(3, SharingPrinciple.self), conditions: try data.optionalStrings(4),
            startDate: try data.date(5), endDate: try data.date(6), reviewDate: try data.optionalDate(7))
    }
}
