import AccordCore

/// The applicant withdrew before a decision. Final.
public struct ApplicationWithdrawn: Codable, Sendable, Hashable {
    public var reason: String
    public var withdrawnBy: String

    public init(reason: String, withdrawnBy: String) {
        self.reason = reason
        self.withdrawnBy = withdrawnBy
    }
}

extension ApplicationWithdrawn {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "reason", "withdrawnBy")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(reason: try data.string(0), withdrawnBy: try data.string(1))
    }
}
