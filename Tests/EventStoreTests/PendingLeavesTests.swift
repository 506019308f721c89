import AccordJSON
@testable import EventStore
import Foundation
import Merkle
import Testing

@Suite struct PendingLeavesTests {
    /// Finishing a commit's leaves on one thread or two gives each event's
    /// RFC 6962 leaf hash over its canonical JSON, in position order.
    @Test(arguments: [1, 64, Int.max]) func leavesAreTheEventsLeafHashes(parallelFrom: Int) throws {
        let recordedAt = Timestamp(microseconds: 1_764_000_000_123_456)
        var leaves = PendingLeaves(first: 1_000, capacity: 150)
        var records: [RecordedEvent] = []
        for index in 0..<150 {
            let event = NewEvent(eventId: .timeOrdered(), type: index % 3 == 0 ? "Noted" : "Other",
                                 data: try CanonicalJSON(["n": .integer(Int64(index)), "text": "caf\u{e9} \"quoted\""]))
            let record = RecordedEvent(
                position: 1_000 + Position(index), stream: try StreamName("S-\(index % 7)"), version: StreamVersion(index / 7),
                eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, occurredAt: event.occurredAt,
                recordedAt: recordedAt, principal: index % 2 == 0 ? "case-system" : nil)
            leaves.add(record, head: event.leafHead())
            records.append(record)
        }
        #expect(leaves.hashes(recordedAt: recordedAt, parallelFrom: parallelFrom) == records.map { RFC6962.leafHash($0.jsonBytes) })
    }
}
