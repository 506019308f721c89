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
