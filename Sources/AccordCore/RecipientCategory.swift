/// What kind of organisation receives the data; legal gateways permit some kinds.
public enum RecipientCategory: String, Codable, Sendable, CaseIterable {
    case school
    case localAuthority = "local_authority"
    case researcher
    /// Organisations connected with promoting the education or wellbeing of children.
    case educationWellbeingOrg = "education_wellbeing_org"
    /// Organisations fighting or identifying crime.
    case crimePrevention = "crime_prevention"
    case crownPublicBody = "crown_public_body"
    case police
    case homeOffice = "home_office"
    case court
    case other

    /// Categories whose agreements may record law-enforcement access requests.
    public var isLawEnforcement: Bool {
        switch self {
        case .police, .homeOffice, .court, .crimePrevention: true
        case .school, .localAuthority, .researcher, .educationWellbeingOrg, .crownPublicBody, .other: false
        }
    }
}
