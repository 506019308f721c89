import EventStore
import Foundation
import Testing

/// Event ids are written in the lowercase canonical text form.
@Suite struct UUIDTextTests {
    @Test func matchesFoundationsFormLowercased() {
        let fixed = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                     UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for id in fixed + (0..<200).map({ _ in UUID() }) + (0..<200).map({ _ in UUID.timeOrdered() }) {
            #expect(id.lowercaseText == id.uuidString.lowercased())
            var bytes = Array("x".utf8)
            id.appendLowercaseText(to: &bytes)
            #expect(bytes == Array(("x" + id.uuidString.lowercased()).utf8))
        }
    }
}
