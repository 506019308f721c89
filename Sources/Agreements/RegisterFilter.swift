import AccordCore

extension RegisterFilter {
    /// Whether `row` is one of the rows the filter wants, on `date`.
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
