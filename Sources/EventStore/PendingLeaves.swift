import AccordJSON
import Foundation
import Merkle

/// The Merkle leaves of one commit, finished together once its requests are
/// decided.
///
/// A leaf hash needs the members the commit decides (position, version,
/// `recordedAt`); its head was hashed by the appending task. Finishing them
/// together at the end of the batch lets a large batch split the work over
/// two threads, so the single writer does half of it.
/// Leaves are added only for requests that succeeded, in position order, so
/// leaf `i` is at position `first + i`.
struct PendingLeaves {
    struct Job {
        var head: LeafHasher
        var position: Position
        var principal: String?
        var stream: StreamName
        var type: String
        var version: StreamVersion
    }

    let first: Position
    private(set) var jobs: [Job] = []

    init(first: Position, capacity: Int) {
        self.first = first
        jobs.reserveCapacity(capacity)
    }

    mutating func add(_ record: RecordedEvent, head: LeafHasher) {
        jobs.append(Job(head: head, position: record.position, principal: record.principal, stream: record.stream, type: record.type, version: record.version))
    }

    /// The state to return to if the next request fails.
    var mark: Int { jobs.count }

    mutating func reset(to mark: Int) {
        jobs.removeSubrange(mark...)
    }

    /// Every leaf hash, in position order; on two threads from `parallelFrom`
    /// leaves (below it, handing half to another thread costs more than it saves).
    func hashes(recordedAt: Timestamp, parallelFrom: Int = 64) -> [TreeHash] {
        var stamp = JSONWriter(capacity: 32)
        recordedAt.writeRFC3339(into: &stamp)
        let recordedAtJSON = stamp.bytes
        let jobs = jobs
        let parts = jobs.count >= parallelFrom ? 2 : 1
        return [TreeHash](unsafeUninitializedCapacity: jobs.count) { out, count in
            // Each part initialises its own disjoint range of the buffer.
            nonisolated(unsafe) let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var entry = JSONWriter(capacity: 512)
                let range = part * jobs.count / parts..<(part + 1) * jobs.count / parts
                for index in range {
                    let job = jobs[index]
                    entry.bytes.removeAll(keepingCapacity: true)
                    entry.writeEventTail(
                        position: job.position, principal: job.principal?.utf8, stream: job.stream.rawValue.utf8, type: job.type.utf8,
                        version: job.version, writeRecordedAt: { $0.writeRaw(recordedAtJSON) })
                    var hasher = job.head
                    hasher.update(entry.bytes)
                    (base + index).initialize(to: hasher.finalize())
                }
            }
            count = jobs.count
        }
    }
}
