import AccordCore

/// The organisation an agreement shares data with.
public struct Recipient: Codable, Sendable, Hashable {
    /// A stable id chosen by the department, e.g. `R-0042`.
    public var id: String
    public var name: String
    public var category: RecipientCategory

    public init(id: String, name: String, category: RecipientCategory) {
        self.id = id
        self.name = name
        self.category = category
    }
}

extension Recipient {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "id", "name", "category")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(id: try data.string(0), name: try data.string(1), category: try data.enumeration(2, RecipientCategory.self))
    }
}
