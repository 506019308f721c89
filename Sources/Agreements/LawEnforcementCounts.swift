import AccordCore

/// Law-enforcement requests recorded under one agreement.
public struct LawEnforcementCounts: Codable, Sendable, Hashable {
    public var requests = 0
    public var disclosures = 0
    public var refusals = 0
    public var noMatches = 0
    public var subjectsRequested = 0
    public var subjectsDisclosed = 0

    public init() {}

    mutating func record(_ access: AccessSummary) {
        requests += 1
        subjectsRequested += access.subjectsRequested
        subjectsDisclosed += access.subjectsDisclosed
        switch access.decision {
        case .disclosed: disclosures += 1
        case .refused: refusals += 1
        case .noMatch: noMatches += 1
        }
    }
}
