import AccordCore
import Crypto
import NIOCore
import Synchronization
import WireProtocol

/// Reads that repeat within a window share one audit record, so that a
/// client polling its view cannot grow the log without bound, while every
/// read stays on the record.
///
/// The first read of some law-enforcement records by a principal (through
/// one operation) appends an `AuditedRead` as always, durable before the
/// details leave, with `repeatsUntil`: the end of its window. A read of
/// exactly the same records by the same principal through the same
/// operation before then discloses nothing that record does not already
/// show, so it leaves at once, counted here. When the window ends (or the
/// server stops) the count goes on the record as one `AuditedReadsRepeated`
/// event naming the covering record's position. If the server dies within
/// a window, the covering record stands and says repeats may have followed
/// until `repeatsUntil`; only their count is lost.
///
/// Bounded: at most `maxEntries` windows are open; beyond that a read is
/// recorded on its own, as without coalescing.
final class AuditLedger: Sendable {
    /// Who read what, hashed: the principal, the operation and the records.
    struct Key: Hashable, Sendable {
        let digest: [UInt8]

        init(_ read: AuditedReadRequest) {
            var hash = SHA256()
            for part in [read.principal, read.op] { hash.update(data: Array(part.utf8) + [0]) }
            for record in read.records { hash.update(data: Array("\(record.agreementId)@\(record.position);".utf8)) }
            digest = Array(hash.finalize())
        }
    }

    /// A window whose repeats are due on the record.
    struct Repeats: Sendable, Equatable {
        let principal: String
        let op: String
        let recordedBy: String
        let coveredBy: Position
        let reads: Int
        let first: Timestamp
        let last: Timestamp
    }

    private struct Window {
        let principal: String
        let op: String
        let recordedBy: String
        let coveredBy: Position
        let ends: NIODeadline
        var reads = 0
        var first: Timestamp?
        var last: Timestamp?
    }

    let window: TimeAmount
    let maxEntries: Int
    private let windows = Mutex<[Key: Window]>([:])

    init(window: TimeAmount, maxEntries: Int = 10_000) {
        self.window = window
        self.maxEntries = maxEntries
    }

    var isEnabled: Bool { window > .zero }

    /// The position of the record that covers `read` now, counting it as a
    /// repeat; `nil` when it must be recorded on its own.
    func cover(_ read: AuditedReadRequest, now: NIODeadline = .now(), at time: Timestamp = .now()) -> Position? {
        guard isEnabled else { return nil }
        let key = Key(read)
        return windows.withLock { windows in
            guard var open = windows[key], now < open.ends else { return nil }
            open.reads += 1
            if open.first == nil { open.first = time }
            open.last = time
            windows[key] = open
            return open.coveredBy
        }
    }

    /// The end of a window that would begin now, for a new record's `repeatsUntil`.
    func windowEnd(from time: Timestamp = .now()) -> Timestamp? {
        isEnabled ? Timestamp(microseconds: time.microseconds + window.nanoseconds / 1_000) : nil
    }

    /// `read`'s own record is durable at `position`: its window opens.
    func recorded(_ read: AuditedReadRequest, recordedBy: String, at position: Position, now: NIODeadline = .now()) {
        guard isEnabled else { return }
        windows.withLock { windows in
            guard windows.count < maxEntries || windows[Key(read)] != nil else { return }
            windows[Key(read)] = Window(
                principal: read.principal, op: read.op, recordedBy: recordedBy, coveredBy: position, ends: now + window)
        }
    }

    /// Closes the windows that ended by `now` (every window when `now` is
    /// `nil`) and returns those with repeats, to go on the record.
    func close(endedBy now: NIODeadline?) -> [Repeats] {
        windows.withLock { windows in
            var due: [Repeats] = []
            for (key, open) in windows where now.map({ open.ends <= $0 }) ?? true {
                windows.removeValue(forKey: key)
                guard open.reads > 0, let first = open.first, let last = open.last else { continue }
                due.append(
                    Repeats(
                        principal: open.principal, op: open.op, recordedBy: open.recordedBy, coveredBy: open.coveredBy, reads: open.reads,
                        first: first, last: last))
            }
            return due.sorted { $0.coveredBy < $1.coveredBy }
        }
    }

    /// Windows open now.
    var count: Int { windows.withLock { $0.count } }
}
