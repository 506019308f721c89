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
