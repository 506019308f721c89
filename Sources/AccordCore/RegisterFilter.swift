/// Which register rows a query wants. Every set field must match
/// (`matches`, in Agreements, applies it to a row).
public struct RegisterFilter: Sendable, Hashable {
    public var status: EffectiveStatus?
    public var recipientId: String?
    public var category: RecipientCategory?
    public var gatewayId: String?
    /// In force on the register's date and ending within this many days of it.
    public var expiringWithinDays: Int?
    /// Rows whose `reviewDue` is this (the rule the row and the CSV use).
    public var reviewDue: Bool?

    public init(
        status: EffectiveStatus? = nil, recipientId: String? = nil, category: RecipientCategory? = nil,
        gatewayId: String? = nil, expiringWithinDays: Int? = nil, reviewDue: Bool? = nil
    ) {
        self.status = status
        self.recipientId = recipientId
        self.category = category
        self.gatewayId = gatewayId
        self.expiringWithinDays = expiringWithinDays
        self.reviewDue = reviewDue
    }
}
