/// A panel's assessment of one of the five safes.
public enum SafeRating: String, Codable, Sendable, CaseIterable {
    case met
    case metWithConditions = "met_with_conditions"
    case notMet = "not_met"
}
