import AccordCore
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import LMDB

/// A store in its own temp folder; each test builds its own.
struct Fixture {
    let dir = TemporaryDirectory("store")

    func environment(mapSize: Int = 4 << 20, maxMapSize: Int = 1 << 30) throws -> Environment {
        var options = Environment.Options()
        options.mapSize = mapSize
        options.maxMapSize = maxMapSize
        return try Environment(path: dir.path, options: options)
    }

    func store(
        hook: (any AppendHook)? = nil, mapSize: Int = 4 << 20, maxMapSize: Int = 1 << 30,
        clock: @escaping @Sendable () -> Timestamp = Timestamp.now
    ) throws -> EventStore {
        try EventStore(environment: environment(mapSize: mapSize, maxMapSize: maxMapSize), hook: hook, clock: clock)
    }
}

func event(_ type: String = "Noted", _ fields: [String: JSONValue] = [:], id: UUID = UUID(), occurredAt: Timestamp? = nil) -> NewEvent {
    NewEvent(eventId: id, type: type, data: try! CanonicalJSON(.object(JSONObject(fields))), occurredAt: occurredAt)
}

func stream(_ name: String) -> StreamName { try! StreamName(name) }

/// Rejects any event whose data has `"reject": true`, like a domain rule would;
/// with `decidesBeforeWriting`, without a nested transaction around it.
struct RejectingHook: AppendHook {
    struct Rejected: Error, Equatable {}

    var decidesBeforeWriting = false

    func didAppend(_ events: [RecordedEvent], prepared: (any Sendable)?, in txn: borrowing Transaction, log: LogReader) throws -> [UInt8]? {
        for event in events where try event.data.value()["reject"] == .bool(true) {
            throw Rejected()
        }
        return nil
    }
}
