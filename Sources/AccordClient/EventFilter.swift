import AccordCore
import AccordJSON
import Synchronization

/// Which events a subscription delivers; every set member must match.
public struct EventFilter: Sendable, Hashable {
    public var types: [String]?
    public var agreementId: String?
    public var recipientId: String?

    public init(types: [String]? = nil, agreementId: String? = nil, recipientId: String? = nil) {
        self.types = types
        self.agreementId = agreementId
        self.recipientId = recipientId
    }

    var members: [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        if let types { members["types"] = .array(types.map { .string($0) }) }
        if let agreementId { members["agreementId"] = .string(agreementId) }
        if let recipientId { members["recipientId"] = .string(recipientId) }
        return members
    }
}
