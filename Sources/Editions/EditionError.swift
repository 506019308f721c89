import AccordCore

/// Why an edition could not be made or checked.
public enum EditionError: CodedError, Sendable {
    /// An edition of an empty log says nothing.
    case emptyLog
    /// The inputs do not belong together (fold, checkpoint, previous edition).
    case mismatch(String)
    /// A container could not be written.
    case container(String)
    /// An edition's directory or manifest could not be read.
    case unreadable(String)

    public var description: String {
        switch self {
        case .emptyLog: "the log is empty: there is nothing to publish"
        case .mismatch(let detail): detail
        case .container(let detail): "could not write a workbook: \(detail)"
        case .unreadable(let detail): detail
        }
    }

    /// The wire code of each case.
    public var code: ErrorCode {
        switch self {
        case .emptyLog, .mismatch, .unreadable: .badRequest
        case .container: .internal
        }
    }
}
