import AccordCore

/// The applicant withdrew before a decision. Final.
public struct ApplicationWithdrawn: Codable, Sendable, Hashable {
    public var reason: String
    public var withdrawnBy: String

    public init(reason: String, withdrawnBy: String) {
        self.reason = reason
        self.withdrawnBy = withdrawnBy
    }
}
