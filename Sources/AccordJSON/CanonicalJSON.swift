/// A JSON object held in Accord's canonical encoding.
///
/// Equal values have equal bytes, so the bytes can be stored once, compared
/// for idempotency and hashed for audit proofs. Construction parses and
/// re-encodes; reading back never does.
public struct CanonicalJSON: Sendable, Hashable {
    /// The canonical UTF-8 bytes of a JSON object.
    public let bytes: [UInt8]

    /// The empty object `{}`.
    public static let emptyObject = CanonicalJSON(trustedBytes: Array("{}".utf8))

    /// Canonicalizes `value`, which must be an object.
    public init(_ value: JSONValue) throws(JSONError) {
        guard case .object = value else { throw .notAnObject }
        bytes = value.canonicalBytes
    }

    /// Canonicalizes the members of an object.
    public init(object members: JSONObject) {
        bytes = JSONValue.object(members).canonicalBytes
    }

    /// Parses any JSON text holding an object and canonicalizes it.
    public init(parsing text: [UInt8]) throws(JSONError) {
        try self.init(JSONParser.parse(text))
    }

    /// Wraps bytes known to be canonical already (read back from storage).
    public init(trustedBytes: [UInt8]) {
        bytes = trustedBytes
    }

    /// Parses the bytes back into a value.
    public func value() throws(JSONError) -> JSONValue {
        try JSONParser.parse(bytes)
    }

    /// The bytes as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension CanonicalJSON: CustomStringConvertible {
    public var description: String { text }
}
