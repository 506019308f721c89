import AccordCore

/// A legal power under which data may be shared: an Act, Regulation or order.
public struct Gateway: Codable, Sendable, Hashable {
    /// A stable id, cited by legal reviews, e.g. `ed-ipi-2009`.
    public var id: String
    /// The instrument's full title.
    public var title: String
    /// Recipient categories the power permits sharing with.
    public var permits: [RecipientCategory]
    /// What data the power covers, in words.
    public var covers: String
    /// The power allows only de-identified data (no `identifiable` shares).
    public var deIdentifiedOnly: Bool?

    public init(id: String, title: String, permits: [RecipientCategory], covers: String, deIdentifiedOnly: Bool? = nil) {
        self.id = id
        self.title = title
        self.permits = permits
        self.covers = covers
        self.deIdentifiedOnly = deIdentifiedOnly
    }
}
