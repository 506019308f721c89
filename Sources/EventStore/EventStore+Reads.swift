import AccordCore
import Foundation
import LMDB

extension EventStore {
    /// The event at `position`, or `nil` past the head.
    public func event(at position: Position) throws -> RecordedEvent? {
        try read { try log.event(at: position, in: $0) }
    }

    /// The event appended under `eventId`, or `nil`.
    public func event(withId eventId: UUID) throws -> RecordedEvent? {
        try read { try log.event(withId: eventId, in: $0) }
    }

    /// The version of the stream's last event, or `nil` if it has none.
    public func streamVersion(_ stream: StreamName) throws -> StreamVersion? {
        try read { try log.streamVersion(stream, in: $0) }
    }

    /// Up to `limit` events of `stream` from `version` in `direction`.
    public func readStream(
        _ stream: StreamName, from version: StreamVersion? = nil, direction: ScanDirection = .forward, limit: Int = 1_000
    ) throws -> [RecordedEvent] {
        try read { try log.readStream(stream, from: version, direction: direction, limit: limit, in: $0) }
    }

    /// Up to `limit` events of the global log from `position` in `direction`,
    /// optionally only of the given `types`.
    public func readAll(
        from position: Position? = nil, direction: ScanDirection = .forward, types: Set<String>? = nil, limit: Int = 1_000
    ) throws -> [RecordedEvent] {
        try read { try log.readAll(from: position, direction: direction, types: types, limit: limit, in: $0) }
    }
}
