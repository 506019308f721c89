/// Law-enforcement requests counted together: the requests and their
/// outcomes, and the individuals they named, matched and disclosed (a
/// request about 2,000 pupils counts 2,000 subjects). The statistics' rows
/// and an edition's rows count the same way, here.
public protocol AccessCounting {
    var requests: Int { get set }
    /// Requests that resulted in sharing.
    var disclosures: Int { get set }
    var refusals: Int { get set }
    var noMatches: Int { get set }
    var subjectsRequested: Int { get set }
    var subjectsMatched: Int { get set }
    var subjectsDisclosed: Int { get set }
}

extension AccessCounting {
    /// Counts one request.
    public mutating func record(_ access: AccessSummary) {
        requests += 1
        subjectsRequested += access.subjectsRequested
        subjectsMatched += access.subjectsMatched
        subjectsDisclosed += access.subjectsDisclosed
        switch access.decision {
        case .disclosed: disclosures += 1
        case .refused: refusals += 1
        case .noMatch: noMatches += 1
        }
    }
}
