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
