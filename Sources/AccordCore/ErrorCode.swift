/// A stable, snake_case error code of the wire protocol (protocol/README.md, "Errors").
///
/// Each module's error says its own code (`CodedError`), so the protocol layer
/// never needs to know the modules below it. Codes are only ever added.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    /// The line is not a JSON object.
    public static let badJSON = ErrorCode(rawValue: "bad_json")
    /// A member is missing, unknown, of the wrong type or out of range.
    public static let badRequest = ErrorCode(rawValue: "bad_request")
    /// `op` names no operation.
    public static let unknownOp = ErrorCode(rawValue: "unknown_op")
    /// The line exceeded `maxLineBytes`; the connection closes.
    public static let lineTooLong = ErrorCode(rawValue: "line_too_long")
    public static let unauthenticated = ErrorCode(rawValue: "unauthenticated")
    public static let forbidden = ErrorCode(rawValue: "forbidden")
    public static let wrongExpectedVersion = ErrorCode(rawValue: "wrong_expected_version")
    public static let invalidTransition = ErrorCode(rawValue: "invalid_transition")
    public static let validationFailed = ErrorCode(rawValue: "validation_failed")
    public static let eventIdConflict = ErrorCode(rawValue: "event_id_conflict")
    public static let notFound = ErrorCode(rawValue: "not_found")
    public static let storageFull = ErrorCode(rawValue: "storage_full")
    public static let overloaded = ErrorCode(rawValue: "overloaded")
    public static let shuttingDown = ErrorCode(rawValue: "shutting_down")
    public static let `internal` = ErrorCode(rawValue: "internal")
    /// A client could not reach the server; a replica sends it for a read
    /// it cannot answer now (one that must be audited on an unreachable primary).
    public static let unavailable = ErrorCode(rawValue: "unavailable")
    /// An append sent to a read-only replica; the error names the primary.
    public static let readOnly = ErrorCode(rawValue: "read_only")
    /// The request would read or extend stored data found damaged (an agreement
    /// whose history cannot be folded): never a silently wrong answer.
    public static let damaged = ErrorCode(rawValue: "damaged")

    /// Every code the server sends, in the order protocol/README.md lists them.
    public static let all: [ErrorCode] = [
        .badJSON, .badRequest, .unknownOp, .lineTooLong, .unauthenticated, .forbidden, .wrongExpectedVersion, .invalidTransition,
        .validationFailed, .eventIdConflict, .notFound, .storageFull, .overloaded, .shuttingDown, .internal, .readOnly, .unavailable,
        .damaged,
    ]
}
