import Histogram

extension Histogram<UInt64> {
    /// Latencies in microseconds, up to a minute, to three significant digits:
    /// the one shape every benchmark records and merges.
    static func latencies() -> Self {
        Histogram(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }
}
