import AccordJSON

/// Every event an agreement's stream may hold. The type names are part of
/// the public protocol.
public enum AgreementEvent: Sendable, Hashable {
    case proposed(AgreementProposed)
    case legalReviewCompleted(LegalReviewCompleted)
    case approved(AgreementApproved)
    case rejected(AgreementRejected)
    case withdrawn(ApplicationWithdrawn)
    case renewed(AgreementRenewed)
    case amended(AgreementAmended)
    case suspended(AgreementSuspended)
    case reinstated(AgreementReinstated)
    case revoked(AgreementRevoked)
    case lawEnforcementAccess(LawEnforcementAccessRecorded)

    /// The protocol's event type names, in lifecycle order.
    public static let typeNames = [
        "AgreementProposed", "LegalReviewCompleted", "AgreementApproved", "AgreementRejected", "ApplicationWithdrawn",
        "AgreementRenewed", "AgreementAmended", "AgreementSuspended", "AgreementReinstated", "AgreementRevoked",
        "LawEnforcementAccessRecorded",
    ]

    public var typeName: String {
        switch self {
        case .proposed: "AgreementProposed"
        case .legalReviewCompleted: "LegalReviewCompleted"
        case .approved: "AgreementApproved"
        case .rejected: "AgreementRejected"
        case .withdrawn: "ApplicationWithdrawn"
        case .renewed: "AgreementRenewed"
        case .amended: "AgreementAmended"
        case .suspended: "AgreementSuspended"
        case .reinstated: "AgreementReinstated"
        case .revoked: "AgreementRevoked"
        case .lawEnforcementAccess: "LawEnforcementAccessRecorded"
        }
    }

    /// Decodes a new event's `data`; throws `AgreementError.validationFailed`
    /// naming the field at fault, a member the type does not define (it would
    /// be stored for ever in an append-only log), or an unknown type. Reads
    /// the value's canonical bytes as `init(validating:canonical:)` does.
    public init(type: String, data: JSONValue) throws(AgreementError) {
        try self.init(type: type, bytes: data.canonicalBytes, strict: true)
    }

    /// The same through the types' `Decodable` conformances and
    /// `JSONValueDecoder`: no path of Accord decodes this way; it is the
    /// oracle `EventDataReader` is tested and fuzzed against.
    package init(oracle type: String, data: JSONValue, strict: Bool) throws(AgreementError) {
        do {
            let decoder = JSONValueDecoder(refusesUnknownMembers: strict)
            switch type {
            case "AgreementProposed": self = .proposed(try decoder.decode(AgreementProposed.self, from: data))
            case "LegalReviewCompleted": self = .legalReviewCompleted(try decoder.decode(LegalReviewCompleted.self, from: data))
            case "AgreementApproved": self = .approved(try decoder.decode(AgreementApproved.self, from: data))
            case "AgreementRejected": self = .rejected(try decoder.decode(AgreementRejected.self, from: data))
            case "ApplicationWithdrawn": self = .withdrawn(try decoder.decode(ApplicationWithdrawn.self, from: data))
            case "AgreementRenewed": self = .renewed(try decoder.decode(AgreementRenewed.self, from: data))
            case "AgreementAmended": self = .amended(try decoder.decode(AgreementAmended.self, from: data))
            case "AgreementSuspended": self = .suspended(try decoder.decode(AgreementSuspended.self, from: data))
            case "AgreementReinstated": self = .reinstated(try decoder.decode(AgreementReinstated.self, from: data))
            case "AgreementRevoked": self = .revoked(try decoder.decode(AgreementRevoked.self, from: data))
            case "LawEnforcementAccessRecorded":
                self = .lawEnforcementAccess(try decoder.decode(LawEnforcementAccessRecorded.self, from: data))
            default:
                throw AgreementError.validationFailed(
                    "unknown event type \(type); an agreement's events are \(Self.typeNames.joined(separator: ", "))")
            }
        } catch let error as AgreementError {
            throw error
        } catch let error as DecodingError {
            throw .validationFailed("\(type): \(error.explanation)", field: error.fieldPath)
        } catch {
            throw .validationFailed("\(type): \(error)")
        }
    }

    /// The event's data as JSON.
    public var data: JSONValue {
        let encoder = JSONValueEncoder()
        let value: JSONValue? =
            switch self {
            case .proposed(let e): try? encoder.encode(e)
            case .legalReviewCompleted(let e): try? encoder.encode(e)
            case .approved(let e): try? encoder.encode(e)
            case .rejected(let e): try? encoder.encode(e)
            case .withdrawn(let e): try? encoder.encode(e)
            case .renewed(let e): try? encoder.encode(e)
            case .amended(let e): try? encoder.encode(e)
            case .suspended(let e): try? encoder.encode(e)
            case .reinstated(let e): try? encoder.encode(e)
            case .revoked(let e): try? encoder.encode(e)
            case .lawEnforcementAccess(let e): try? encoder.encode(e)
            }
        return value ?? .object([:])
    }
}
