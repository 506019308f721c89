import AccordJSON

/// An error that knows how the protocol reports it: a code, a sentence for
/// people, and the extra members of the `error` object.
///
/// Every module's error enum adopts this, so the protocol layer maps any
/// failure without importing the layer it came from. An error that does not
/// adopt it is reported as `internal` (and logged).
public protocol CodedError: Error, CustomStringConvertible {
    /// The protocol's error code.
    var code: ErrorCode { get }
    /// The sentence sent to the client; by default `description`.
    var message: String { get }
    /// Extra members of the `error` object (`field`, `expected`, …); empty by default.
    var details: [String: JSONValue] { get }
}

extension CodedError {
    public var message: String { description }
    public var details: [String: JSONValue] { [:] }
}

extension JSONError: CodedError {
    /// Malformed JSON inside an otherwise readable request.
    public var code: ErrorCode { .badRequest }
}
