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
