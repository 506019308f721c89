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

extension AgreementRejected {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "reasons", "decidedBy", "decisionDate")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(reasons: try data.strings(0), decidedBy: try data.string(1), decisionDate: try data.date(2))
    }
}
