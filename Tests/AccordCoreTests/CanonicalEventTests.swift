import AccordCore
import AccordJSON
import Foundation
import Testing

/// Events read straight from their canonical bytes equal events read through a JSON tree.
@Suite struct CanonicalEventTests {
    static func event(_ n: Int, occurred: Bool, principal: String?) throws -> RecordedEvent {
        RecordedEvent(
            position: UInt64(n), stream: try StreamName(n % 2 == 0 ? "DSA-\(n)" : "$audit"), version: UInt64(n / 2), eventId: UUID(),
            type: "Noted",
            data: try CanonicalJSON([
                "text": .string("quote \" backslash \\ line\n é 漢字"), "n": .integer(Int64(n)), "list": [1, [2, 3], ["a": "b"]],
            ]),
            metadata: n % 3 == 0 ? .emptyObject : try CanonicalJSON(["by": "case-system"]),
            occurredAt: occurred ? Timestamp(microseconds: 1_700_000_000_123_456) : nil,
            recordedAt: Timestamp(microseconds: 1_767_225_600_000_001),
            principal: principal)
    }

    @Test func anEventReadFromItsBytesIsTheEventItself() throws {
        for n in 0..<12 {
            let original = try Self.event(n, occurred: n % 2 == 1, principal: n % 4 == 0 ? nil : "ops \"admin\"")
            let bytes = original.jsonBytes
            let read = try bytes.withUnsafeBytes { try RecordedEvent(canonical: $0) }
            #expect(read == original)
            #expect(read.jsonBytes == bytes, "its leaf is the bytes it was read from")
            #expect(read == (try RecordedEvent(json: try JSONParser.parse(bytes))))
        }
    }

    @Test func theElementsOfAnArrayAreFoundWithoutATree() throws {
        let events = try (0..<5).map { try Self.event($0, occurred: true, principal: "p") }
        let text = "[ " + events.map { String(decoding: $0.jsonBytes, as: UTF8.self) }.joined(separator: " ,\n") + " ]"
        var found: [RecordedEvent] = []
        let complete = try Array(text.utf8).withUnsafeBytes { bytes in
            try JSONMemberScanner.forEachElement(in: bytes) { found.append(try RecordedEvent(canonical: $0)) }
        }
        #expect(complete && found == events)
        #expect(Array("[]".utf8).withUnsafeBytes { JSONMemberScanner.forEachElement(in: $0) { _ in } })
        #expect(!Array("[1,".utf8).withUnsafeBytes { JSONMemberScanner.forEachElement(in: $0) { _ in } })
        #expect(!Array("{}".utf8).withUnsafeBytes { JSONMemberScanner.forEachElement(in: $0) { _ in } })
    }
}
