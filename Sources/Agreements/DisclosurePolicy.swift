/// What may ever be disclosed in answer to a law-enforcement request.
public struct DisclosurePolicy: Sendable {
    /// Items that may be disclosed (when the agreement also covers them).
    public var allowed: Set<String>
    /// Items never disclosed, whatever an agreement says.
    public var forbidden: Set<String>

    public init(allowed: Set<String>, forbidden: Set<String>) {
        self.allowed = allowed
        self.forbidden = forbidden
    }

    /// The department's published limits: identifying and contact details
    /// only; nationality, country of birth and English proficiency never.
    public static let standard = DisclosurePolicy(
        allowed: [
            "name", "former_name", "date_of_birth", "gender", "address", "postcode", "school", "school_urn", "upn", "unique_learner_number",
            "attendance_dates",
        ],
        forbidden: ["nationality", "country_of_birth", "english_proficiency"]
    )
}
