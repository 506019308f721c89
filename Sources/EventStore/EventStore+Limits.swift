import Foundation

extension EventStore {
    /// Bounds on requests and on group-commit batches.
    public struct Limits: Sendable {
        /// Events in one append request.
        public var maxEventsPerAppend = 1_000
        /// Bytes of `data` plus `metadata` in one event.
        public var maxEventBytes = 1 << 20
        /// Bytes of an event's canonical `metadata`: free-form, so kept small
        /// (correlation ids, client versions), not a second `data`.
        public var maxMetadataBytes = 16 << 10
        /// Events in one group commit (more wait for the next commit).
        public var maxBatchEvents = 8_192
        /// Approximate bytes in one group commit.
        public var maxBatchBytes = 64 << 20
        /// Bytes of a principal name.
        public var maxPrincipalBytes = 256

        public init() {}

        func validate(_ request: AppendRequest) throws(EventStoreError) {
            guard !request.events.isEmpty else { throw .invalidMember("an append must carry at least one event", field: "events") }
            guard request.events.count <= maxEventsPerAppend else {
                throw .invalidMember(
                    "an append may carry at most \(maxEventsPerAppend) events; this one has \(request.events.count)", field: "events")
            }
            if let principal = request.principal, principal.utf8.count > maxPrincipalBytes {
                throw .invalidRequest("a principal name must be at most \(maxPrincipalBytes) bytes")
            }
            var seen = Set<UUID>(minimumCapacity: request.events.count > 1 ? request.events.count : 0)
            for (index, event) in request.events.enumerated() {
                let field = "events[\(index)]"
                do { try event.validate() } catch { throw .invalidMember(error.description, field: "\(field).type") }
                guard event.metadata.bytes.count <= maxMetadataBytes else {
                    throw .invalidMember(
                        "the metadata of event \(event.eventId.uuidString.lowercased()) is \(event.metadata.bytes.count) bytes; "
                            + "the limit is \(maxMetadataBytes)", field: "\(field).metadata")
                }
                let size = event.data.bytes.count + event.metadata.bytes.count
                guard size <= maxEventBytes else {
                    throw .invalidMember(
                        "event \(event.eventId.uuidString.lowercased()) is \(size) bytes; the limit is \(maxEventBytes)",
                        field: "\(field).data")
                }
                guard request.events.count == 1 || seen.insert(event.eventId).inserted else {
                    throw .invalidMember(
                        "event id \(event.eventId.uuidString.lowercased()) appears twice in one append", field: "\(field).eventId")
                }
            }
        }
    }
}
