import AccordCore
import AccordJSON
import Foundation

/// Every way an event-store call can fail. Each leaves the log unchanged.
public enum EventStoreError: CodedError, Sendable, Equatable {
    /// The stream's version did not match the request's `ExpectedVersion`.
    case wrongExpectedVersion(stream: StreamName, expected: ExpectedVersion, actual: StreamVersion?)
    /// An event id was already used: for an event with different content or
    /// stream (`sameEvent` false), or for this very event by an earlier request
    /// that this one mixes with new events (`sameEvent` true: a retry must not
    /// carry new events).
    case eventIdConflict(eventId: UUID, existingPosition: Position, sameEvent: Bool)
    /// The request itself is malformed (empty, too large, a bad name or type).
    case invalidRequest(String)
    /// One member of the request is malformed: `field` names it as the
    /// protocol does (`events`, `events[2].type`).
    case invalidMember(String, field: String)
    /// The map reached its configured maximum or the disk is full; reads still work.
    case storageFull(String)
    /// The data directory was written by a newer or unknown Accord storage format.
    case unsupportedFormat(found: UInt64, supported: UInt64)
    /// A stored record could not be decoded.
    case corrupted(String)
    /// The store is closing and accepts no more appends.
    case shuttingDown
    /// The store was opened read-only (an inspection tool beside a live server).
    case readOnly
    /// Any other storage failure, with LMDB's explanation.
    case storage(String)
}

extension EventStoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            "stream \(stream) was expected at version \(expected) but is at \(actual.map(String.init) ?? "no_stream")"
        case .eventIdConflict(let id, let position, false):
            "event id \(id.uuidString.lowercased()) was already used at position \(position) for a different event"
        case .eventIdConflict(let id, let position, true):
            "event \(id.uuidString.lowercased()) was already appended at position \(position) by another request; "
                + "send new events in an append of their own"
        case .invalidRequest(let why), .invalidMember(let why, _): why
        case .storageFull(let why): why
        case .unsupportedFormat(let found, let supported):
            "the data directory uses storage format \(found), but this build of Accord reads formats up to \(supported); upgrade Accord"
        case .corrupted(let why): "stored data is damaged: \(why)"
        case .shuttingDown: "the store is shutting down and accepts no more appends"
        case .readOnly: "the store was opened read-only and accepts no appends"
        case .storage(let why): why
        }
    }
}

extension EventStoreError {
    public var code: ErrorCode {
        switch self {
        case .wrongExpectedVersion: .wrongExpectedVersion
        case .eventIdConflict: .eventIdConflict
        case .invalidRequest, .invalidMember: .badRequest
        case .storageFull: .storageFull
        case .shuttingDown, .readOnly: .shuttingDown
        case .corrupted: .damaged
        case .unsupportedFormat, .storage: .internal
        }
    }

    public var details: [String: JSONValue] {
        switch self {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            ["agreementId": .string(stream.rawValue), "expected": expected.json, "actual": actual.map { .integer(Int64($0)) } ?? .null]
        case .eventIdConflict(let eventId, let position, let sameEvent):
            ["eventId": .string(eventId.lowercaseText), "position": .integer(Int64(position)), "sameEvent": .bool(sameEvent)]
        case .invalidMember(_, let field):
            ["field": .string(field)]
        default:
            [:]
        }
    }
}
