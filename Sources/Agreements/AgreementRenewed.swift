import AccordCore

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

extension AgreementRenewed {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "newEndDate", "approver", "renewedOn", "reviewDate")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(
            newEndDate: try data.date(0), approver: try data.string(1), renewedOn: try data.date(2), reviewDate: try data.optionalDate(3))
    }
}
