import AccordJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An instant in UTC with microsecond precision, as stored in the log.
///
/// Written on the wire as RFC 3339 text (`2026-11-29T07:48:15.123456Z`). The
/// range is years 0001 to 9999.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// The system's real-time clock. Only the store and query defaults read it;
    /// projections never do.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(microseconds: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    public init(from decoder: Decoder) throws {
        // What Accord stored (projections, recorded events) is read as written; a client's value strictly.
        let text = try decoder.singleValueContainer().decode(String.self)
        let stored = decoder.userInfo[.readsStoredValues] as? Bool == true
        guard let parsed = stored ? Timestamp(storedRFC3339: text) : Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "must be an RFC 3339 timestamp; got \"\(text)\""))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

extension Timestamp: CustomStringConvertible {
    public var description: String { rfc3339 }
}
