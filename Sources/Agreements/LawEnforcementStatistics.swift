import AccordCore

/// The figures a department publishes about police, Home Office and court
/// use of its data, counted from the records (never by hand).
public struct LawEnforcementStatistics: Sendable, Hashable {
    /// One period's figures for one requester type.
    public struct Row: Codable, Sendable, Hashable, Comparable, AccessCounting {
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
    }

    /// Which row a request counts in: a month or quarter, and a requester type.
    public struct Key: Sendable, Hashable {
        public var isQuarter: Bool
        public var year: Int
        /// The month (1–12) or quarter (1–4).
        public var index: Int
        public var requesterType: RequesterType

        public var periodKind: String { isQuarter ? "quarter" : "month" }

        public var period: String {
            let y = String(year)
            return isQuarter ? "\(y)-Q\(index)" : "\(y)-\(index < 10 ? "0" : "")\(index)"
        }

        /// Parses a row's kind and period back into a key.
        public init?(_ row: Row) {
            let parts = row.period.split(separator: "-")
            guard parts.count == 2, let year = Int(parts[0]) else { return nil }
            isQuarter = row.periodKind == "quarter"
            guard let index = Int(isQuarter ? parts[1].dropFirst() : parts[1]) else { return nil }
            self.year = year
            self.index = index
            requesterType = row.requesterType
        }

        public init(isQuarter: Bool, year: Int, index: Int, requesterType: RequesterType) {
            self.isQuarter = isQuarter
            self.year = year
            self.index = index
            self.requesterType = requesterType
        }
    }

    private var table: [Key: Row] = [:]

    public init() {}

    /// Rows by `Row.key` (`kind|period|requester`).
    public var rows: [String: Row] {
        Dictionary(uniqueKeysWithValues: table.values.map { ($0.key, $0) })
    }

    /// The keys of the rows one request counts in: its month and its quarter.
    public static func keys(for access: AccessSummary) -> [Key] {
        let (year, month, _) = Timestamp.civil(day: access.requestDate.day)
        return [
            Key(isQuarter: false, year: year, index: month, requesterType: access.requesterType),
            Key(isQuarter: true, year: year, index: (month - 1) / 3 + 1, requesterType: access.requesterType),
        ]
    }

    public mutating func record(_ access: AccessSummary) {
        for key in Self.keys(for: access) {
            table[key, default: Row(periodKind: key.periodKind, period: key.period, requesterType: key.requesterType)].record(access)
        }
    }

    /// The row under `key`, if any request counted in it.
    public subscript(key: Key) -> Row? { table[key] }

    /// Adds another set of figures to these, row by row.
    public mutating func add(_ other: LawEnforcementStatistics) {
        for (key, row) in other.table {
            if var mine = table[key] {
                mine.requests += row.requests
                mine.disclosures += row.disclosures
                mine.refusals += row.refusals
                mine.noMatches += row.noMatches
                mine.subjectsRequested += row.subjectsRequested
                mine.subjectsMatched += row.subjectsMatched
                mine.subjectsDisclosed += row.subjectsDisclosed
                table[key] = mine
            } else {
                table[key] = row
            }
        }
    }

    /// Adds or replaces a row (for loading stored rows).
    public mutating func insert(_ row: Row) {
        guard let key = Key(row) else { return }
        table[key] = row
    }

    /// All rows in key order.
    public var sortedRows: [Row] { table.values.sorted() }
}
