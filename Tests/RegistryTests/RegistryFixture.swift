import AccordCore
import AccordJSON
import AccordTesting
import Agreements
import AgreementsTesting
import EventStore
import Foundation
import LMDB
import Registry

/// A real environment with the registry installed, in its own temp folder.
struct RegistryFixture {
    let dir = TemporaryDirectory("registry")

    func open(clock: @escaping @Sendable () -> Timestamp = Timestamp.now) throws -> (EventStore, Registry) {
        var options = Environment.Options()
        options.mapSize = 64 << 20
        let env = try Environment(path: dir.path, options: options)
        let registry = try Registry(environment: env)
        let store = try EventStore(environment: env, hook: registry.hook, clock: clock)
        try registry.attach(store)
        return (store, registry)
    }
}

func newEvent(_ event: AgreementEvent, on day: String = "2025-01-01") -> NewEvent {
    NewEvent(eventId: .timeOrdered(), type: event.typeName, data: try! CanonicalJSON(event.data), occurredAt: date(day).start)
}

extension EventStore {
    @discardableResult
    func append(
        _ id: String, _ events: AgreementEvent..., expected: ExpectedVersion = .any, on day: String = "2025-01-01"
    ) async throws -> AppendResult {
        try await append(to: StreamName(id), expected: expected, events: events.map { newEvent($0, on: day) })
    }
}
