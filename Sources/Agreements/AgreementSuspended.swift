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
