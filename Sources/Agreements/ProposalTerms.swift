/// How identifiable the shared data is.
public enum Identifiability: String, Codable, Sendable, CaseIterable {
    case identifiable
    case pseudonymised
    case aggregate
}

/// How the recipient reaches the data.
public enum AccessRoute: String, Codable, Sendable, CaseIterable {
    /// Inside a secure research service (the default route since 2018).
    case secureResearchService = "secure_research_service"
    /// A copy sent to the recipient, by exception.
    case extract
}

/// Whether data is shared once or repeatedly.
public enum Frequency: String, Codable, Sendable, CaseIterable {
    case oneOff = "one_off"
    case regular
}

/// The UK GDPR Article 6 lawful basis.
public enum LawfulBasis: String, Codable, Sendable, CaseIterable {
    case consent
    case contract
    case legalObligation = "legal_obligation"
    case vitalInterests = "vital_interests"
    case publicTask = "public_task"
    case legitimateInterests = "legitimate_interests"
}

/// A legal reviewer's conclusion.
public enum ReviewOutcome: String, Codable, Sendable, CaseIterable {
    case lawful
    case lawfulWithConditions = "lawful_with_conditions"
    case notLawful = "not_lawful"

    public var permitsSharing: Bool { self != .notLawful }
}

/// The department's principles for sharing personal data, as a panel records them.
public enum SharingPrinciple: String, Codable, Sendable, CaseIterable {
    case clearBenefit = "clear_benefit"
    case informsDebate = "informs_debate"
    case sizeableBenefitNotSolelyCommercial = "sizeable_benefit_not_solely_commercial"
    case collaborativeResearch = "collaborative_research"
    case alignedToResearchInterests = "aligned_to_research_interests"
    case secondaryResearchConditions = "secondary_research_conditions"
}
