import AccordCore
import AccordJSON

/// Why an agreement event was refused. Messages are for case workers.
public enum AgreementError: CodedError, Sendable, Equatable {
    /// The event does not fit the agreement's current state
    /// ("cannot approve DSA-0042: no lawful legal review recorded").
    case invalidTransition(String)
    /// The event's content breaks a rule whatever the state (a missing field, a
    /// gateway that does not permit the recipient, a non-disclosable item);
    /// `field` names the member of `data` at fault when one is (`recipient.id`).
    case validationFailed(String, field: String? = nil)
    /// The agreement's stored history holds an event this build cannot fold
    /// (`AgreementDamage`): nothing more is appended to it until it is mended.
    case damaged(String)

    public var description: String {
        switch self {
        case .invalidTransition(let message), .validationFailed(let message, _), .damaged(let message): message
        }
    }

    /// `field` as the protocol names it, for the event at `events[index]` of a request.
    public var details: [String: JSONValue] {
        guard case .validationFailed(_, let field?) = self else { return [:] }
        return ["field": .string(field)]
    }

    /// Refuses more events for an agreement whose history cannot be folded.
    public static func damagedAgreement(_ id: String, _ damage: AgreementDamage) -> AgreementError {
        .damaged(
            "\(id) is damaged: the event at position \(damage.position) cannot be folded (\(damage.reason)); "
                + "nothing more is appended to it until an operator mends it")
    }

    /// The same error with its field placed under `prefix` (`events[0].data`).
    public func under(_ prefix: String) -> AgreementError {
        guard case .validationFailed(let message, let field) = self else { return self }
        return .validationFailed(message, field: field.map { $0.hasPrefix("[") ? prefix + $0 : "\(prefix).\($0)" } ?? prefix)
    }

    public var code: ErrorCode {
        switch self {
        case .invalidTransition: .invalidTransition
        case .validationFailed: .validationFailed
        case .damaged: .damaged
        }
    }
}
