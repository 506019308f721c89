import AccordCore

/// Sharing stops for now, e.g. after a breach.
public struct AgreementSuspended: Codable, Sendable, Hashable {
    public var reason: String
    public var breachReference: String?
    public var suspendedBy: String

    public init(reason: String, breachReference: String? = nil, suspendedBy: String) {
        self.reason = reason
        self.breachReference = breachReference
        self.suspendedBy = suspendedBy
    }
}

extension AgreementSuspended {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "reason", "breachReference", "suspendedBy")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(reason: try data.string(0), breachReference: try data.optionalString(1), suspendedBy: try data.string(2))
    }
}
