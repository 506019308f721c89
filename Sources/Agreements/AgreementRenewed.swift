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
