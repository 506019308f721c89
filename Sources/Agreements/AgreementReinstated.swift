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
