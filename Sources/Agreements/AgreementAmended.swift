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
