import AccordJSON
import Agreements
import EventStore
import Merkle

/// An error as the protocol reports it: a code, a sentence, and details.
public struct WireError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String
    /// Extra members of the `error` object (`expected`, `actual`, `field`, …).
    public var details: [String: JSONValue]

    public init(_ code: ErrorCode, _ message: String, details: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    public static func badRequest(_ message: String, field: String? = nil) -> WireError {
        WireError(.badRequest, message, details: field.map { ["field": .string($0)] } ?? [:])
    }

    /// The error object of a response.
    public var json: JSONValue {
        var members = details
        members["code"] = .string(code.rawValue)
        members["message"] = .string(message)
        return .object(members)
    }
}

extension WireError {
    /// Maps any failure of an operation to its protocol error. Unknown errors
    /// become `internal`; the caller logs them.
    public init(_ error: any Error) {
        switch error {
        case let error as WireError:
            self = error
        case let error as AgreementError:
            switch error {
            case .invalidTransition(let message): self.init(.invalidTransition, message)
            case .validationFailed(let message): self.init(.validationFailed, message)
            }
        case let error as EventStoreError:
            self.init(eventStore: error)
        case let error as JSONError:
            self.init(.badRequest, error.description)
        case MerkleError.outOfRange(let message):
            self.init(.badRequest, message)
        default:
            self.init(.internal, "an internal error occurred; it has been logged")
        }
    }

    private init(eventStore error: EventStoreError) {
        switch error {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            self.init(.wrongExpectedVersion, error.description, details: [
                "agreementId": .string(stream.rawValue), "expected": ExpectedVersion.json(expected),
                "actual": actual.map { .integer(Int64($0)) } ?? .null,
            ])
        case .eventIdConflict(let eventId, let position):
            self.init(.eventIdConflict, error.description, details: [
                "eventId": .string(eventId.uuidString.lowercased()), "position": .integer(Int64(position)),
            ])
        case .invalidRequest(let message): self.init(.badRequest, message)
        case .storageFull(let message): self.init(.storageFull, message)
        case .shuttingDown, .readOnly: self.init(.shuttingDown, error.description)
        case .unsupportedFormat, .corrupted, .storage: self.init(.internal, error.description)
        }
    }
}

extension ExpectedVersion {
    /// The wire form: an integer, `"any"`, `"no_stream"` or `"exists"`.
    public static func json(_ expected: ExpectedVersion) -> JSONValue {
        switch expected {
        case .any: "any"
        case .noStream: "no_stream"
        case .streamExists: "exists"
        case .exact(let version): .integer(Int64(version))
        }
    }

    public init(json: JSONValue) throws(WireError) {
        switch json {
        case .string("any"): self = .any
        case .string("no_stream"): self = .noStream
        case .string("exists"): self = .streamExists
        case .integer(let v) where v >= 0: self = .exact(StreamVersion(v))
        default:
            throw .badRequest("expectedVersion must be a non-negative integer, \"any\", \"no_stream\" or \"exists\"", field: "expectedVersion")
        }
    }
}
