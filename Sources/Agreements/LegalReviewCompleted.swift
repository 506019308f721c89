/// A lawyer's review of whether the share is lawful, citing a legal gateway.
public struct LegalReviewCompleted: Codable, Sendable, Hashable {
    public var reviewer: String
    public var lawfulBasis: LawfulBasis
    /// The Article 9 condition, required when special-category data is involved.
    public var article9Condition: String?
    /// An id from the gateway catalogue.
    public var gatewayId: String
    public var necessity: String
    public var dpiaReference: String
    public var outcome: ReviewOutcome
    public var conditions: [String]?

    public init(
        reviewer: String, lawfulBasis: LawfulBasis, article9Condition: String? = nil, gatewayId: String, necessity: String,
        dpiaReference: String, outcome: ReviewOutcome, conditions: [String]? = nil
    ) {
        self.reviewer = reviewer
        self.lawfulBasis = lawfulBasis
        self.article9Condition = article9Condition
        self.gatewayId = gatewayId
        self.necessity = necessity
        self.dpiaReference = dpiaReference
        self.outcome = outcome
        self.conditions = conditions
    }
}

extension LegalReviewCompleted {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "reviewer", "lawfulBasis", "article9Condition", "gatewayId", "necessity", "dpiaReference", "outcome", "conditions")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(
            reviewer: try data.string(0), lawfulBasis: try data.enumeration(1, LawfulBasis.self),
            article9Condition: try data.optionalString(2),
            gatewayId: try data.string(3), necessity: try data.string(4), dpiaReference: try data.string(5),
            outcome: try data.enumeration(6, ReviewOutcome.self), conditions: try data.optionalStrings(7))
    }
}
