import AccordCore

/// Changed data items or purpose. Items beyond the reviewed ones may not be
/// used until a new lawful legal review covers them.
public struct AgreementAmended: Codable, Sendable, Hashable {
    public var dataItems: [String]?
    public var purpose: String?
    public var reason: String
    public var amendedBy: String

    public init(dataItems: [String]? = nil, purpose: String? = nil, reason: String, amendedBy: String) {
        self.dataItems = dataItems
        self.purpose = purpose
        self.reason = reason
        self.amendedBy = amendedBy
    }
}

extension AgreementAmended {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "dataItems", "purpose", "reason", "amendedBy")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(
            dataItems: try data.optionalStrings(0), purpose: try data.optionalString(1), reason: try data.string(2),
            amendedBy: try data.string(3))
    }
}
