/// The figures a department publishes about police, Home Office and court
/// use of its data, counted from the records (never by hand).
public struct LawEnforcementStatistics: Codable, Sendable, Hashable {
    /// One period's figures for one requester type.
    public struct Row: Codable, Sendable, Hashable, Comparable {
        /// `month` (`YYYY-MM`) or `quarter` (`YYYY-Qn`, calendar quarters).
        public var periodKind: String
        public var period: String
        public var requesterType: RequesterType
        public var requests = 0
        /// Requests that resulted in sharing.
        public var disclosures = 0
        public var refusals = 0
        public var noMatches = 0
        public var subjectsRequested = 0
        public var subjectsMatched = 0
        public var subjectsDisclosed = 0

        public init(periodKind: String, period: String, requesterType: RequesterType) {
            self.periodKind = periodKind
            self.period = period
            self.requesterType = requesterType
        }

        /// The row's key in storage and for ordering: `kind|period|requester`.
        public var key: String { "\(periodKind)|\(period)|\(requesterType.rawValue)" }

        public static func < (lhs: Row, rhs: Row) -> Bool { lhs.key < rhs.key }

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

    /// Rows by `Row.key`.
    public var rows: [String: Row] = [:]

    public init() {}

    /// The keys of the rows one request counts in: its month and its quarter.
    public static func keys(for access: AccessSummary) -> [(kind: String, period: String)] {
        [("month", access.requestDate.month), ("quarter", access.requestDate.quarter)]
    }

    public mutating func record(_ access: AccessSummary) {
        for (kind, period) in Self.keys(for: access) {
            var row = Row(periodKind: kind, period: period, requesterType: access.requesterType)
            row = rows[row.key] ?? row
            row.record(access)
            rows[row.key] = row
        }
    }

    /// All rows in key order.
    public var sortedRows: [Row] { rows.values.sorted() }
}
