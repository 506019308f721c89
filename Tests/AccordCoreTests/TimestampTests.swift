import AccordCore
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0 as Int64),
        ("2024-04-04T16:08:00Z", 1_712_246_880_000_000),
        ("2024-04-04T17:08:00+01:00", 1_712_246_880_000_000),
        ("2024-04-04T16:08:00.5Z", 1_712_246_880_500_000),
        ("2024-04-04t16:08:00.123456z", 1_712_246_880_123_456),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000_000),
        ("9999-12-31T23:59:59.999999Z", 253_402_300_799_999_999),
        ("2024-04-04T16:08:00-23:59", 1_712_333_220_000_000),
        ("1969-12-31T23:59:59.999999Z", -1),
        ("2000-02-29T00:00:00Z", 951_782_400_000_000),
    ])
    func parses(text: String, micros: Int64) {
        #expect(Timestamp(rfc3339: text)?.microseconds == micros)
    }

    /// Everything a client might send that would not read back as the same
    /// instant in a four-digit year: plain dates, offsets out of range, more
    /// than microseconds, and instants outside 0001–9999 once the offset is applied.
    @Test(arguments: [
        "", "2024-13-01", "2023-02-29", "2024-04-04T25:00:00Z", "2024-04-04T16:08:00", "2024-04-04T16:08Z", "2024-04-04X", "yesterday",
        "2024-04-04", "2024-04-04T16:08:00+99:99", "2024-04-04T16:08:00+24:00", "2024-04-04T16:08:00+01:60",
        "2024-04-04T16:08:00.1234567Z", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "0000-06-01T00:00:00Z",
        "10000-01-01T00:00:00Z", "2024-04-04T16:08:00.Z", "2024-04-04T16:08:60Z",
    ])
    func refuses(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func timesOnceStoredOutsideTheRangeAreStillRead() {
        // Earlier builds stored these; readers must show them as stored.
        for text in ["10000-01-01T23:58:59.000000Z", "0000-12-31T00:01:00.000000Z"] {
            let time = Timestamp(storedRFC3339: text)
            #expect(time?.rfc3339 == text)
            #expect(Timestamp(rfc3339: text) == nil, "but never accepted anew")
        }
    }

    /// Found by the event fuzzer: a stored year of six digits past what
    /// microseconds since 1970 hold in 64 bits is unreadable, never a trap.
    @Test func storedYearsPastSixtyFourBitsAreRefusedNotTrapped() {
        for text in ["302024-12-20T00:00:00Z", "999999-12-31T23:59:59.999999Z", "294248-01-01T00:00:00Z"] {
            #expect(Timestamp(storedRFC3339: text) == nil, "\(text)")
        }
        #expect(CalendarDate(stored: "302024-12-20") == nil)
        #expect(Timestamp(storedRFC3339: "292000-01-01T00:00:00Z") != nil)
    }

    @Test func datesMeanTheirLastMicrosecondWhenReadingUpToThem() {
        #expect(Timestamp(upToTimeOrDate: "2024-04-04")?.microseconds == 1_712_275_199_999_999)
        #expect(Timestamp(upToTimeOrDate: "0000-01-01") == nil)
        #expect(CalendarDate("0001-01-01") != nil && CalendarDate("0000-12-31") == nil && CalendarDate("9999-12-31") != nil)
    }

    @Test func formatsAsUTCWithMicroseconds() {
        #expect(Timestamp(microseconds: 1_712_246_880_123_456).rfc3339 == "2024-04-04T16:08:00.123456Z")
        #expect(Timestamp(microseconds: -1).rfc3339 == "1969-12-31T23:59:59.999999Z")
        #expect(Timestamp(microseconds: 1_712_246_880_000_000).dateString == "2024-04-04")
    }

    @Test func roundTrips() {
        for micros: Int64 in stride(from: -86_400_000_000 * 400, to: 86_400_000_000 * 40_000, by: 7_777_777_777_777) {
            let t = Timestamp(microseconds: micros)
            #expect(Timestamp(rfc3339: t.rfc3339) == t)
        }
        for t in [Timestamp.acceptedRange.lowerBound, Timestamp.acceptedRange.upperBound] {
            #expect(Timestamp(rfc3339: t.rfc3339) == t)
        }
    }
}
