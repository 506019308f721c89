import Agreements

/// One row's law-enforcement requests, counted as the statistics count them.
public struct AccessTally: Sendable, Hashable, AccessCounting {
    public var requests = 0
    public var disclosures = 0
    public var refusals = 0
    public var noMatches = 0
    public var subjectsRequested = 0
    public var subjectsMatched = 0
    public var subjectsDisclosed = 0

    public init() {}

    /// The counts as cells, in the order the law-enforcement sheets give them.
    var cells: [EditionCell] {
        [requests, disclosures, refusals, noMatches, subjectsRequested, subjectsMatched, subjectsDisclosed].map { .number($0) }
    }

    static let columns: [EditionSheet.Column] = [
        .init("Requests", width: 10), .init("Requests resulting in sharing", width: 14), .init("Refused", width: 9),
        .init("No match", width: 9), .init("Individuals requested", width: 12), .init("Individuals matched", width: 12),
        .init("Individuals whose data was shared", width: 14),
    ]
}
