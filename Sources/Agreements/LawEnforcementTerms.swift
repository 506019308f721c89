/// Who asked for data under a law-enforcement agreement.
public enum RequesterType: String, Codable, Sendable, CaseIterable {
    case police
    case homeOffice = "home_office"
    case court
    case other
}

/// Why the requester asked.
public enum AccessGrounds: String, Codable, Sendable, CaseIterable {
    case criminalActivity = "criminal_activity"
    case childAtRisk = "child_at_risk"
    case courtOrder = "court_order"
}

/// What the department decided about one request.
public enum AccessDecision: String, Codable, Sendable, CaseIterable {
    case disclosed
    case refused
    case noMatch = "no_match"
}
