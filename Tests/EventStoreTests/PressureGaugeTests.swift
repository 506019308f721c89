import Testing

@testable import EventStore

/// When the machine counts as having a processor to spare, from readings of
/// the cumulative stall counter (µs) at times in ns. Without threads or files.
@Suite struct PressureGaugeTests {
    static let ms: UInt64 = 1_000_000

    /// A gauge that has read once at 0 (counter at 5,000 µs).
    func started() -> PressureGauge {
        var gauge = PressureGauge()
        gauge.record(now: 0, stalledMicroseconds: 5_000)
        return gauge
    }

    @Test func oneReadingSaysNothingYet() {
        let gauge = started()
        #expect(!gauge.spare)
        #expect(gauge.nextReading == gauge.interval)
    }

    @Test func aLittleWaitingIsSpareAndMoreIsBusyForAWhile() {
        var gauge = started()
        gauge.record(now: 100 * Self.ms, stalledMicroseconds: 5_000 + 25_000)
        #expect(gauge.spare, "25 ms of 100 waited: the threshold itself still counts as spare")
        #expect(gauge.nextReading == 200 * Self.ms)
        gauge.record(now: 200 * Self.ms, stalledMicroseconds: 30_000 + 25_001)
        #expect(!gauge.spare, "just over a quarter: busy")
        #expect(gauge.nextReading == 200 * Self.ms + gauge.hold, "the next reading measures the machine while nothing watched")
        gauge.record(now: 1_200 * Self.ms, stalledMicroseconds: 55_001 + 100_000)
        #expect(gauge.spare, "a tenth of the held second: spare again")
    }

    @Test func aReadingAfterALongPauseStartsOver() {
        var gauge = started()
        gauge.record(now: 100 * Self.ms, stalledMicroseconds: 5_000)
        #expect(gauge.spare)
        gauge.record(now: 100 * Self.ms + 2 * gauge.hold + 1, stalledMicroseconds: 5_000)
        #expect(!gauge.spare, "an average over the pause would hide what the machine does now")
        gauge.record(now: 200 * Self.ms + 2 * gauge.hold + 1, stalledMicroseconds: 5_000)
        #expect(gauge.spare)
    }

    @Test func oddReadingsNeverCountAsSpare() {
        var gauge = started()
        gauge.record(now: 100 * Self.ms, stalledMicroseconds: 4_000)
        #expect(!gauge.spare, "a counter that went back starts over")
        gauge.record(now: 100 * Self.ms, stalledMicroseconds: 4_000)
        #expect(!gauge.spare, "no time passed")
        gauge.record(now: 200 * Self.ms, stalledMicroseconds: .max)
        #expect(!gauge.spare, "a wait too large to scale")
        gauge.record(now: 300 * Self.ms, stalledMicroseconds: nil)
        #expect(!gauge.spare && gauge.nextReading == .max, "no counter: never spare, never read again")
    }
}
