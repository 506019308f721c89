/// The protocol's stable error codes (protocol/README.md, "Errors").
public enum ErrorCode: String, Sendable, CaseIterable {
    case badJSON = "bad_json"
    case badRequest = "bad_request"
    case unknownOp = "unknown_op"
    case lineTooLong = "line_too_long"
    case unauthenticated
    case forbidden
    case wrongExpectedVersion = "wrong_expected_version"
    case invalidTransition = "invalid_transition"
    case validationFailed = "validation_failed"
    case eventIdConflict = "event_id_conflict"
    case notFound = "not_found"
    case storageFull = "storage_full"
    case overloaded
    case shuttingDown = "shutting_down"
    case `internal`
}
