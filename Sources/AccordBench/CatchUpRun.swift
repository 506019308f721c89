import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import Histogram

/// Fills the log, then times one subscriber reading it all from the start.
struct CatchUpRun {
    let host: String
    let port: Int
    let data: CanonicalJSON

    func run(events: Int, progress: @escaping @Sendable (Int) -> Void) async throws -> (events: Int, eventsPerSecond: Double) {
        let dataValue = try data.value()
        let head = try await AccordClient.connect(host: host, port: port) { client in
            try await client.request("ping")["head"]?.int64Value ?? 0
        }
        var filled = Int(head)
        while filled < events {
            let round = min(events - filled, 64 * 500)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<64 {
                    let count = round / 64 + (worker < round % 64 ? 1 : 0)
                    guard count > 0 else { continue }
                    group.addTask {
                        try await AccordClient.connect(host: host, port: port) { client in
                            var left = count
                            while left > 0 {
                                let batch = (0..<min(left, 500)).map { _ in
                                    JSONValue.object([
                                        "eventId": .string(UUID.timeOrdered().uuidString.lowercased()), "type": "BenchEvent",
                                        "data": dataValue,
                                    ])
                                }
                                _ = try await client.request(
                                    "append", ["agreementId": .string("$fill-\(worker)"), "events": .array(batch)])
                                left -= batch.count
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            filled += round
            progress(filled)
        }
        return try await RawConnection.run(host: host, port: port) { connection in
            try await connection.catchUp()
        }
    }
}
