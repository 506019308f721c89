import AccordCore
import AccordJSON
import Foundation
import Merkle
import Testing

@testable import EventStore

@Suite struct TreeGrowerTests {
    /// Leaves finished inline or beside the writer, handed over in pieces of
    /// any size, are each event's RFC 6962 leaf hash over its canonical JSON,
    /// and grow the same tree as a client's recomputation.
    @Test(arguments: [1, 16]) func theGrownTreeIsTheEventsTree(requests: Int) throws {
        let recordedAt = Timestamp(microseconds: 1_764_000_000_123_456)
        var records: [RecordedEvent] = []
        var leaves: [PendingLeaf] = []
        for index in 0..<150 {
            let event = NewEvent(
                eventId: .timeOrdered(), type: index % 3 == 0 ? "Noted" : "Other",
                data: try CanonicalJSON(["n": .integer(Int64(index)), "text": "caf\u{e9} \"quoted\""]))
            let record = RecordedEvent(
                position: 1_000 + Position(index), stream: try StreamName("S-\(index % 7)"), version: StreamVersion(index / 7),
                eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, occurredAt: event.occurredAt,
                recordedAt: recordedAt, principal: index % 2 == 0 ? "case-system" : nil)
            leaves.append(PendingLeaf(record, head: event.leafHead()))
            records.append(record)
        }
        let expected = records.map { RFC6962.leafHash($0.jsonBytes) }
        var start = CompactRange()
        for n in 0..<1_000 { start.append(RFC6962.leafHash(Array("earlier \(n)".utf8))) { _, _, _ in } }
        var whole = start
        for hash in expected { whole.append(hash) { _, _, _ in } }

        // Beside the writer from 16 requests, whatever this machine's default.
        let grower = TreeGrower(besideFrom: 16)
        defer { grower.stop() }
        // Twice, so the second commit starts after the first's leaves are all finished.
        for _ in 0..<2 {
            grower.begin(continuing: start, recordedAt: recordedAt, requests: requests)
            var index = 0
            var size = 1
            while index < leaves.count {
                let end = min(index + size, leaves.count)
                grower.add(Array(leaves[index..<end]))
                (index, size) = (end, size % 40 + 3)
            }
            let grown = grower.finish()
            #expect(grown.hashes == expected)
            #expect(grown.batch.range.root == whole.root)
            #expect(grown.batch.range.size == 1_150)
        }
    }

    /// A commit abandoned with leaves outstanding leaves nothing behind.
    @Test func anAbandonedCommitIsDropped() throws {
        let grower = TreeGrower(besideFrom: 16)
        defer { grower.stop() }
        let recordedAt = Timestamp(microseconds: 1_764_000_000_000_000)
        let event = NewEvent(eventId: .timeOrdered(), type: "Noted", data: try CanonicalJSON(["n": 1]))
        let record = RecordedEvent(
            position: 0, stream: try StreamName("S-1"), version: 0, eventId: event.eventId, type: event.type, data: event.data,
            metadata: event.metadata, occurredAt: nil, recordedAt: recordedAt, principal: nil)
        grower.begin(continuing: CompactRange(), recordedAt: recordedAt, requests: 100)
        grower.add(Array(repeating: PendingLeaf(record, head: event.leafHead()), count: 40))
        grower.begin(continuing: CompactRange(), recordedAt: recordedAt, requests: 100)
        grower.add([PendingLeaf(record, head: event.leafHead())])
        let grown = grower.finish()
        #expect(grown.hashes == [RFC6962.leafHash(record.jsonBytes)])
        #expect(grown.batch.range.size == 1)
    }
}
