import AccordCore

/// Why an agreement event was refused. Messages are for case workers.
public enum AgreementError: CodedError, Sendable, Equatable {
    /// The event does not fit the agreement's current state
    /// ("cannot approve DSA-0042: no lawful legal review recorded").
    case invalidTransition(String)
    /// The event's content breaks a rule whatever the state (a missing field, a
    /// gateway that does not permit the recipient, a non-disclosable item).
    case validationFailed(String)

    public var description: String {
        switch self {
        case .invalidTransition(let message), .validationFailed(let message): message
        }
    }

    public var code: ErrorCode {
        switch self {
        case .invalidTransition: .invalidTransition
        case .validationFailed: .validationFailed
        }
    }
}
