import AccordCore
import EventStore
import Foundation
import LMDB

/// Fills a log, then reads all of it back: decoded events and raw cursor entries.
struct ReadBench {
    struct Result {
        var events: Int
        var decodedPerSecond: Double
        var rawPerSecond: Double
    }

    let path: String
    let eventSize: Int

    func run(events: Int, progress: (Int) -> Void) async throws -> Result {
        let store = try EventStore(environment: Environment(path: path, options: .bench), logger: .quiet)
        let data = try benchPayload(bytes: eventSize)
        let perAppend = 100
        var filled = 0
        while filled < events {
            let round = min(events - filled, 64 * perAppend)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for start in stride(from: 0, to: round, by: perAppend) {
                    let count = min(perAppend, round - start)
                    group.addTask {
                        let batch = (0..<count).map { _ in NewEvent(eventId: .timeOrdered(), type: "BenchEvent", data: data) }
                        try await store.append(to: StreamName("DSA-\(start / perAppend)"), events: batch)
                    }
                }
                try await group.waitForAll()
            }
            filled += round
            progress(filled)
        }
        var decoded = 0
        var decodedBytes = 0
        let t0 = ContinuousClock.now
        try store.read { txn in
            try store.log.scan(in: txn) { event in
                decoded += 1
                decodedBytes &+= event.data.bytes.count
                return true
            }
        }
        let decodedTime = (ContinuousClock.now - t0).seconds
        var raw = 0
        let t1 = ContinuousClock.now
        try store.read { txn in
            let db = try Database<UInt64, [UInt8]>.open("events", in: txn, create: false)!
            try txn.scanRaw(db) { _, value in
                raw &+= value.count > 0 ? 1 : 0
                return true
            }
        }
        let rawTime = (ContinuousClock.now - t1).seconds
        store.close()
        precondition(decoded == filled && raw == filled, "read back \(decoded)/\(raw) of \(filled) events")
        return Result(events: decoded, decodedPerSecond: Double(decoded) / decodedTime, rawPerSecond: Double(raw) / rawTime)
    }
}
