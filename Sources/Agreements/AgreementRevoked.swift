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

extension AgreementRevoked {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "reason", "revokedBy", "effectiveDate")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(reason: try data.string(0), revokedBy: try data.string(1), effectiveDate: try data.date(2))
    }
}
