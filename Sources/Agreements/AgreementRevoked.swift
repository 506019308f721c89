import AccordCore

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
