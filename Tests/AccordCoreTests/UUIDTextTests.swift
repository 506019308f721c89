import AccordCore
import Foundation
import Testing

/// Event ids are written in the lowercase canonical text form.
@Suite struct UUIDTextTests {
    @Test func matchesFoundationsFormLowercased() {
        let fixed = [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
        ]
        for id in fixed + (0..<200).map({ _ in UUID() }) + (0..<200).map({ _ in UUID.timeOrdered() }) {
            #expect(id.lowercaseText == id.uuidString.lowercased())
            var bytes = Array("x".utf8)
            id.appendLowercaseText(to: &bytes)
            #expect(bytes == Array(("x" + id.uuidString.lowercased()).utf8))
        }
    }

    @Test func parsesLikeFoundation() {
        for text in [
            "0193a000-0000-7000-8000-000000000043", "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6", UUID().uuidString,
            UUID.timeOrdered().uuidString.lowercased(),
        ] {
            #expect(UUID(text: text) == UUID(uuidString: text))
        }
        for bad in [
            "", "0193a000-0000-7000-8000-00000000004", "0193a000x0000-7000-8000-000000000043", "0193a000-0000-7000-8000-00000000004g",
        ] {
            #expect(UUID(text: bad) == nil)
        }
    }
}
