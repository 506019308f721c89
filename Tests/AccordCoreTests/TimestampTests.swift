import AccordCore
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0 as Int64),
        ("2024-04-04T16:08:00Z", 1_712_246_880_000_000),
        ("2024-04-04T17:08:00+01:00", 1_712_246_880_000_000),
        ("2024-04-04T16:08:00.5Z", 1_712_246_880_500_000),
        ("2024-04-04t16:08:00.123456z", 1_712_246_880_123_456),
        ("2024-04-04", 1_712_188_800_000_000),
        ("1969-12-31T23:59:59.999999Z", -1),
        ("2000-02-29T00:00:00Z", 951_782_400_000_000),
    ])
    func parses(text: String, micros: Int64) {
        #expect(Timestamp(rfc3339: text)?.microseconds == micros)
    }

    @Test(arguments: [
        "", "2024-13-01", "2023-02-29", "2024-04-04T25:00:00Z", "2024-04-04T16:08:00", "2024-04-04T16:08Z", "2024-04-04X", "yesterday",
    ])
    func refuses(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
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
    }
}
