import AccordCore
import AccordJSON

/// An error as the protocol reports it: a code, a sentence, and details.
public struct WireError: CodedError, Sendable, Equatable {
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

    public var description: String { "\(code.rawValue): \(message)" }

    /// The error object of a response.
    public var json: JSONValue {
        var members = details
        members["code"] = .string(code.rawValue)
        members["message"] = .string(message)
        return .object(JSONObject(members))
    }
}

extension WireError {
    /// Maps any failure of an operation to its protocol error: whatever
    /// code the failing layer's error says; anything else becomes `internal`
    /// (the caller logs it).
    public init(_ error: any Error) {
        if let coded = error as? any CodedError {
            self.init(coded.code, coded.message, details: coded.details)
        } else {
            self.init(.internal, "an internal error occurred; it has been logged")
        }
    }
}

extension ExpectedVersion {
    /// Parses the wire form: an integer, `"any"`, `"no_stream"` or `"exists"`.
    public init(json: JSONValue) throws(WireError) {
        switch json {
        case .string("any"): self = .any
        case .string("no_stream"): self = .noStream
        case .string("exists"): self = .streamExists
        case .integer(let v) where v >= 0: self = .exact(StreamVersion(v))
        default:
            throw .badRequest(
                "expectedVersion must be a non-negative integer, \"any\", \"no_stream\" or \"exists\"", field: "expectedVersion")
        }
    }
}
