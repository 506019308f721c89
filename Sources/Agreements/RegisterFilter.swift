import AccordCore

/// Which register rows a query wants. Every set field must match.
public struct RegisterFilter: Sendable, Hashable {
    public var status: EffectiveStatus?
    public var recipientId: String?
    public var category: RecipientCategory?
    public var gatewayId: String?
    /// In force on the register's date and ending within this many days of it.
    public var expiringWithinDays: Int?
    /// Rows whose `reviewDue` is this (`Agreement.isReviewDue(on:)`, the rule the row and the CSV use).
    public var reviewDue: Bool?

    public init(
        status: EffectiveStatus? = nil, recipientId: String? = nil, category: RecipientCategory? = nil,
        gatewayId: String? = nil, expiringWithinDays: Int? = nil, reviewDue: Bool? = nil
    ) {
        self.status = status
        self.recipientId = recipientId
        self.category = category
        self.gatewayId = gatewayId
        self.expiringWithinDays = expiringWithinDays
        self.reviewDue = reviewDue
    }

    public func matches(_ row: RegisterRow, on date: CalendarDate) -> Bool {
        if let status, row.effectiveStatus != status { return false }
        if let recipientId, row.recipientId != recipientId { return false }
        if let category, row.recipientCategory != category { return false }
        if let gatewayId, row.gatewayId != gatewayId { return false }
        if let reviewDue, row.reviewDue != reviewDue { return false }
        if let days = expiringWithinDays {
            guard row.effectiveStatus == .inForce, let end = row.endDate, end <= date.adding(days: days) else { return false }
        }
        return true
    }
}
