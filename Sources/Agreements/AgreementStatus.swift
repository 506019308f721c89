/// Where an agreement is in its lifecycle, as its events left it.
public enum AgreementStatus: String, Codable, Sendable, CaseIterable {
    /// Applied for; legal review and panel decision pending.
    case proposed
    /// Approved by the panel; whether it is in force depends on its dates.
    case approved
    /// Approved but sharing is stopped until reinstated.
    case suspended
    /// Refused by the panel. Final.
    case rejected
    /// Withdrawn by the applicant. Final.
    case withdrawn
    /// Ended for good. Final.
    case revoked

    public var isFinal: Bool {
        switch self {
        case .rejected, .withdrawn, .revoked: true
        case .proposed, .approved, .suspended: false
        }
    }
}
