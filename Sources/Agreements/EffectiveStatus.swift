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
}
