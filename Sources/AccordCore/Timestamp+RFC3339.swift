import AccordJSON

extension Timestamp {
    /// The instants Accord accepts: years 0001 to 9999 in UTC, so that every
    /// accepted time is written back with a four-digit year that every
    /// reader of RFC 3339 accepts.
    public static let acceptedRange =
        Timestamp(
            microseconds: Int64(daysFromCivil(year: 1, month: 1, day: 1)) * 86_400_000_000)...Timestamp(
            microseconds: Int64(daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400_000_000 - 1)

    /// Parses an RFC 3339 date-time, strictly, as a value from a client:
    /// `2024-04-04T16:08:00Z`, at most six fractional digits (microseconds),
    /// `Z` or a `±hh:mm` offset with hours to 23 and minutes to 59, and the
    /// instant within `acceptedRange` once the offset is applied. A plain
    /// date is not a time (see `init(upToTimeOrDate:)`).
    public init?(rfc3339 text: String) {
        guard let parsed = Self.parse(Array(text.utf8), lenient: false), Self.acceptedRange.contains(parsed) else { return nil }
        self = parsed
    }

    /// Parses a time as Accord itself wrote it, leniently: any year of four
    /// or more digits, including 0000 (earlier builds stored such times, and
    /// a reader must show them as stored rather than fail), and the forms
    /// `init(rfc3339:)` accepts.
    public init?(storedRFC3339 text: String) {
        guard let parsed = Self.parse(Array(text.utf8), lenient: true) else { return nil }
        self = parsed
    }

    private static func parse(_ b: [UInt8], lenient: Bool) -> Timestamp? {
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var value = 0
            for i in at..<at + count {
                let d = Int(b[i]) - 48
                guard (0...9).contains(d) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        // A stored year past 9999 has more digits; a client's has four.
        var yearDigits = 4
        if lenient { while yearDigits < 6, yearDigits < b.count, (48...57).contains(b[yearDigits]) { yearDigits += 1 } }
        let o = yearDigits - 4
        guard let year = digits(0, yearDigits), b.count >= 20 + o, b[4 + o] == 45, let month = digits(5 + o, 2), b[7 + o] == 45,
            let day = digits(8 + o, 2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            lenient || year >= 1
        else { return nil }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        var micros = 0
        guard b[10 + o] | 0x20 == UInt8(ascii: "t") || b[10 + o] == 32,
            let hour = digits(11 + o, 2), b[13 + o] == 58, let minute = digits(14 + o, 2), b[16 + o] == 58,
            let second = digits(17 + o, 2), hour < 24, minute < 60, second < 60
        else { return nil }
        seconds += hour * 3600 + minute * 60 + second
        var i = 19 + o
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 100_000
            let start = i
            while i < b.count, (48...57).contains(b[i]) {
                micros += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            // More than microseconds would not read back as sent.
            guard i > start, i - start <= 6 else { return nil }
        }
        guard i < b.count else { return nil }
        if b[i] | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == 43 || b[i] == 45, let oh = digits(i + 1, 2), b.count > i + 3, b[i + 3] == 58, let om = digits(i + 4, 2),
            oh < 24, om < 60
        {
            let offset = (oh * 60 + om) * 60
            seconds += b[i] == 43 ? -offset : offset
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // A stored year of six digits can pass what 64 bits of microseconds hold (about ±292,000 years).
        let (scaled, overflow) = Int64(seconds).multipliedReportingOverflow(by: 1_000_000)
        guard !overflow, scaled <= Int64.max - Int64(micros) else { return nil }
        return Timestamp(microseconds: scaled + Int64(micros))
    }

    /// A point to read history up to: an RFC 3339 time, or a plain date
    /// meaning its last microsecond (UTC), so "as of 1 March" includes all of 1 March.
    public init?(upToTimeOrDate text: String) {
        if text.utf8.count == 10 {
            guard let date = CalendarDate(text) else { return nil }
            self = Timestamp(microseconds: date.start.microseconds + 86_400_000_000 - 1)
        } else {
            guard let time = Timestamp(rfc3339: text) else { return nil }
            self = time
        }
    }

    /// RFC 3339 in UTC with microseconds: `2026-11-29T07:48:15.123456Z`.
    public var rfc3339: String {
        let (days, micros) = microseconds.floorDivided(by: 86_400_000_000)
        let (year, month, day) = Self.civilFromDays(Int(days))
        let secondOfDay = Int(micros / 1_000_000)
        let fraction = Int(micros % 1_000_000)
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 6))Z"
    }

    /// Writes `rfc3339` as a JSON string without making a `String` (hot in replays).
    public func writeRFC3339(into writer: inout JSONWriter) {
        let (days, micros) = microseconds.floorDivided(by: 86_400_000_000)
        let (year, month, day) = Self.civilFromDays(Int(days))
        let secondOfDay = Int(micros / 1_000_000)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            // Years past 9999 keep every digit, like `rfc3339`.
            while value / divisor >= 10 { divisor *= 10 }
            while divisor > 0 {
                writer.bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        writer.bytes.append(UInt8(ascii: "\""))
        digits(year, 4)
        writer.bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        writer.bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        writer.bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        writer.bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        writer.bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        writer.bytes.append(UInt8(ascii: "."))
        digits(Int(micros % 1_000_000), 6)
        writer.bytes.append(UInt8(ascii: "Z"))
        writer.bytes.append(UInt8(ascii: "\""))
    }

    /// The calendar date in UTC, `YYYY-MM-DD`.
    public var dateString: String {
        let (days, _) = microseconds.floorDivided(by: 86_400_000_000)
        let (year, month, day) = Self.civilFromDays(Int(days))
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The UTC calendar date's year, month and day.
    public var civilDate: (year: Int, month: Int, day: Int) {
        Self.civilFromDays(Int(microseconds.floorDivided(by: 86_400_000_000).quotient))
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// The proleptic Gregorian year, month and day of a day number (days since 1970-01-01).
    public static func civil(day: Int) -> (year: Int, month: Int, day: Int) {
        civilFromDays(day)
    }

    /// Days in a month of the proleptic Gregorian calendar.
    public static func days(inMonth month: Int, year: Int) -> Int { daysIn(month: month, year: year) }

    /// The day number (days since 1970-01-01) of a calendar date.
    public static func day(year: Int, month: Int, day: Int) -> Int { daysFromCivil(year: year, month: month, day: day) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = self / divisor
        var r = self % divisor
        if r < 0 {
            q -= 1
            r += divisor
        }
        return (q, r)
    }
}
