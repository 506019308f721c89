import AccordCore
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import LMDB
import Logging
import Testing

/// The log checker in steps, as the background scrub runs it.
@Suite struct LogCheckerTests {
    let dir = TemporaryDirectory("log-checker")

    @Test func aCheckInStepsCoversTheLogAndFindsNothingInAWholeOne() async throws {
        var options = Environment.Options()
        options.mapSize = 64 << 20
        let store = try EventStore(environment: Environment(path: dir.path, options: options), logger: Logger(label: "test"))
        for batch in 0..<10 {
            let events = try (0..<1_000).map { n in
                NewEvent(eventId: UUID.timeOrdered(), type: "Noted", data: try CanonicalJSON(["n": .integer(Int64(batch * 1_000 + n))]))
            }
            try await store.append(to: StreamName("$s\(batch % 3)"), events: events)
        }
        var checker = LogChecker(store: store)
        var steps: [Int] = []
        while true {
            let checked = try store.read { txn in try checker.step(limit: 4_096, in: txn) }
            steps.append(checked)
            if checked < 4_096 { break }
        }
        #expect(steps == [4_096, 4_096, 1_808])
        try store.read { txn in try checker.finish(in: txn) }
        #expect(checker.next == 10_000)
        #expect(checker.problems.isEmpty, "\(checker.problems)")
        store.close()
    }
}
