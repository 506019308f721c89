import EventStore

/// A calendar date in UTC, written `YYYY-MM-DD`: agreement start, end and
/// review dates, decision dates, request dates.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var day: Int

    public init(day: Int) { self.day = day }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        guard text.utf8.count == 10, let t = Timestamp(rfc3339: text) else { return nil }
        self.init(t)
    }

    /// The UTC date of an instant.
    public init(_ timestamp: Timestamp) {
        day = Int(timestamp.microseconds >= 0
            ? timestamp.microseconds / 86_400_000_000
            : (timestamp.microseconds + 1) / 86_400_000_000 - 1)
    }

    /// Midnight UTC at the start of this date.
    public var start: Timestamp { Timestamp(microseconds: Int64(day) * 86_400_000_000) }

    public func adding(days: Int) -> CalendarDate { CalendarDate(day: day + days) }

    public var description: String { start.dateString }

    /// `YYYY-MM`.
    public var month: String { String(description.prefix(7)) }

    /// `YYYY-Qn`, calendar quarters.
    public var quarter: String {
        let month = start.civilDate.month
        return "\(description.prefix(4))-Q\((month - 1) / 3 + 1)"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.day < rhs.day }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a date (YYYY-MM-DD)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
