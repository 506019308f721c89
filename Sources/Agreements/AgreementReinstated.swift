import AccordCore

/// Sharing resumes after a suspension.
public struct AgreementReinstated: Codable, Sendable, Hashable {
    public var reason: String
    public var reinstatedBy: String

    public init(reason: String, reinstatedBy: String) {
        self.reason = reason
        self.reinstatedBy = reinstatedBy
    }
}

extension AgreementReinstated {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "reason", "reinstatedBy")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(reason: try data.string(0), reinstatedBy: try data.string(1))
    }
}
