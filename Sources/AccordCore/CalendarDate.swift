import AccordJSON

/// A calendar date in UTC, written `YYYY-MM-DD`: agreement start, end and
/// review dates, decision dates, request dates.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var day: Int

    public init(day: Int) { self.day = day }

    /// Parses `YYYY-MM-DD`, years 0001 to 9999.
    public init?(_ text: String) {
        guard text.utf8.count == 12 - 2 else { return nil }
        let quoted = Array(("\"" + text + "\"").utf8)
        guard let date = quoted.withUnsafeBytes({ CalendarDate(quoted: $0) }) else { return nil }
        self = date
    }

    /// Parses a date as Accord wrote it, leniently: any year of four or
    /// more digits, 0000 included (an earlier build stored such dates).
    public init?(stored text: String) {
        guard let time = Timestamp(storedRFC3339: text + "T00:00:00Z") else { return nil }
        self.init(time)
    }

    /// Parses a JSON string `"YYYY-MM-DD"` in place (quotes included).
    public init?(quoted b: UnsafeRawBufferPointer) {
        guard b.count == 12, b[0] == 0x22, b[11] == 0x22, b[5] == 0x2D, b[8] == 0x2D else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let d = Int(b[i]) - 48
                guard (0...9).contains(d) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = digits(1..<5), let month = digits(6..<8), let day = digits(9..<11), year >= 1, (1...12).contains(month),
            (1...Timestamp.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.init(day: Timestamp.day(year: year, month: month, day: day))
    }

    /// The UTC date of an instant.
    public init(_ timestamp: Timestamp) {
        day = Int(
            timestamp.microseconds >= 0
                ? timestamp.microseconds / 86_400_000_000
                : (timestamp.microseconds + 1) / 86_400_000_000 - 1)
    }

    /// Midnight UTC at the start of this date.
    public var start: Timestamp { Timestamp(microseconds: Int64(day) * 86_400_000_000) }

    public func adding(days: Int) -> CalendarDate { CalendarDate(day: day + days) }

    public var description: String { start.dateString }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.day < rhs.day }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let stored = decoder.userInfo[.readsStoredValues] as? Bool == true
        guard let date = stored ? CalendarDate(stored: text) : CalendarDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "must be a date (YYYY-MM-DD); got \"\(text)\""))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
