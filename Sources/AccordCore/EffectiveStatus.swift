/// An agreement's standing on a given date: its status combined with its dates.
public enum EffectiveStatus: String, Codable, Sendable, CaseIterable {
    case proposed
    /// Approved, but its start date has not come.
    case approvedNotStarted = "approved_not_started"
    case inForce = "in_force"
    case expired
    case suspended
    case rejected
    case withdrawn
    case revoked

    /// A live agreement: approved and neither ended nor revoked on the date
    /// (`approved_not_started`, `in_force`, `suspended`). Only a live
    /// agreement can have a review due: one that has ended needs none.
    public var isLive: Bool {
        switch self {
        case .approvedNotStarted, .inForce, .suspended: true
        case .proposed, .expired, .rejected, .withdrawn, .revoked: false
        }
    }
}
