import AccordCore
import AccordJSON
import Foundation
import Testing

/// `RecordedEvent(wireBytes:)`, the subscription's fast path, reads what `init(json:)` reads.
@Suite struct WireBytesTests {
    func event(principal: String?, occurredAt: Timestamp?, note: String = "a note") throws -> RecordedEvent {
        RecordedEvent(
            position: 1_234_567, stream: try StreamName("DSA-0042"), version: 17, eventId: UUID.timeOrdered(), type: "LegalReviewCompleted",
            data: try CanonicalJSON(["note": .string(note), "n": 3, "nested": ["a": [1, 2]]]), metadata: .emptyObject,
            occurredAt: occurredAt, recordedAt: Timestamp(microseconds: 1_764_000_000_123_456), principal: principal)
    }

    @Test func readsEveryMemberAsTheFullParserDoes() throws {
        for original in [
            try event(principal: "case-system", occurredAt: Timestamp(microseconds: 1_700_000_000_000_000)),
            try event(principal: nil, occurredAt: nil),
        ] {
            let bytes = original.jsonBytes
            let fast = bytes.withUnsafeBytes { RecordedEvent(wireBytes: $0) }
            #expect(fast == original)
            #expect(fast == (try RecordedEvent(json: try JSONParser.parse(bytes))))
            #expect(fast?.jsonBytes == bytes, "the same bytes, so the same leaf hash")
        }
    }

    @Test func leavesAnythingUnusualToTheFullParser() throws {
        let escaped = try event(principal: "o\"brien", occurredAt: nil).jsonBytes
        #expect(escaped.withUnsafeBytes { RecordedEvent(wireBytes: $0) } == nil)
        #expect(Array("{\"position\":1}".utf8).withUnsafeBytes { RecordedEvent(wireBytes: $0) } == nil)
        #expect(Array("not json".utf8).withUnsafeBytes { RecordedEvent(wireBytes: $0) } == nil)
    }
}
