import AccordCore
import AccordJSON
import LMDB
import Merkle

/// Checks the whole stored log, not only its tree: what `accord check` and
/// the server's background scrub run.
///
/// Over the `events` database in key order it checks that every key is the
/// record's own position and follows the last (dense, increasing: a damaged
/// index page shows as keys out of order or missing), that every record
/// decodes, that each stream's records form its chain (versions 0, 1, 2, …,
/// each pointing at the stream's previous record), that each event id's
/// `event_ids` entry is the record's position, that every 1,024th version
/// has its `stream_marks` entry, and that every leaf and subtree equals the
/// stored tree (as `LogVerifier`). At the end it checks `streams` against
/// the chains, and that `event_ids` and `stream_marks` hold nothing else.
///
/// A check runs in steps (`step`), each in a read transaction of its own,
/// so a background scrub never holds a snapshot long; `finish` takes the
/// last step to the head and the closing comparisons in one transaction.
/// Memory: one entry per stream, and at most `maxProblems` problems.
public struct LogChecker: Sendable {
    /// One thing found wrong, with where.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The earliest position involved, when one is.
        public var position: Position?
        /// The stream involved, when one is.
        public var stream: String?
        public var description: String

        public init(position: Position? = nil, stream: String? = nil, _ description: String) {
            self.position = position
            self.stream = stream
            self.description = description
        }
    }

    public static let maxProblems = 100

    let log: LogReader
    private var tree = CompactRange()
    /// The next position expected (the events checked so far).
    public private(set) var next: Position = 0
    private var lastKey: Position?
    private var streams: [String: (version: StreamVersion, position: Position)] = [:]
    private var marks = 0
    /// The storage index of the next stored subtree to compare.
    private var subtreeIndex: UInt64 = 0
    /// The tree is compared until its first mismatch; later hashes would all differ.
    private var treeBroken = false
    public private(set) var problems: [Problem] = []

    public init(store: EventStore) {
        log = store.log
    }

    /// The recomputed tree's root over the events checked so far.
    public var root: TreeHash { tree.root }

    /// Whether a problem was found.
    public var isDamaged: Bool { !problems.isEmpty }

    /// Checks up to `limit` more events; returns how many it checked.
    @discardableResult
    public mutating func step(limit: Int, in txn: borrowing Transaction) throws -> Int {
        var checked = 0
        var writer = JSONWriter(capacity: 4_096)
        let layout = log.layout
        try txn.withCursor(layout.merkle) { cursor in
            var stored = try StoredSubtrees(cursor, from: subtreeIndex)
            try txn.scanRaw(layout.events, from: lastKey.map { $0 &+ 1 }) { key, value in
                guard checked < limit else { return false }
                checked += 1
                guard let position = try? UInt64(lmdbBytes: key) else {
                    note(Problem("an events key of \(key.count) bytes is not a position: the events index is damaged"))
                    return problems.count < Self.maxProblems
                }
                if let lastKey, position <= lastKey {
                    note(Problem(position: position, "key \(position) follows key \(lastKey): the events index is out of order"))
                    return false
                }
                lastKey = position
                guard position == next else {
                    note(Problem(position: next, "positions \(next)..<\(position) are missing (the next key is \(position))"))
                    treeBroken = true
                    next = position + 1
                    return problems.count < Self.maxProblems
                }
                next += 1
                let record: RecordView
                do {
                    record = try RecordView(value)
                } catch {
                    note(Problem(position: position, "the record cannot be read (\(error))"))
                    treeBroken = true
                    return problems.count < Self.maxProblems
                }
                // A lookup descends by key, as every reader's does; a scan walks the leaves and would not see a bad separator.
                let found = try txn.withValue(layout.events, position) { try RecordView($0).position }
                if found != position {
                    note(
                        Problem(
                            position: position,
                            "a lookup of position \(position) finds \(found.map(String.init) ?? "nothing"): the events index is damaged"))
                }
                try check(record, key: position, in: txn)
                if !treeBroken {
                    var completed: [(level: Int, index: UInt64, hash: TreeHash)] = []
                    tree.append(record.leafHash(using: &writer)) { level, index, hash in completed.append((level, index, hash)) }
                    for (level, index, hash) in completed where !treeBroken {
                        subtreeIndex += 1
                        if let mismatch = LogVerifier.Problem(level: level, index: index, computed: hash, stored: try stored.next(cursor)) {
                            note(Problem(position: mismatch.position, mismatch.description))
                            treeBroken = true
                        }
                    }
                }
                return problems.count < Self.maxProblems
            }
        }
        return checked
    }

    /// Checks the record against its stream's chain and the indexes.
    private mutating func check(_ record: borrowing RecordView, key: Position, in txn: borrowing Transaction) throws {
        let layout = log.layout
        guard record.position == key else {
            return note(Problem(position: key, "the record at key \(key) says it is at \(record.position)"))
        }
        let name = record.streamName
        let previous = streams[name]
        let expectedVersion = previous.map { $0.version + 1 } ?? 0
        if record.version != expectedVersion || record.previousInStream != previous?.position {
            note(
                Problem(
                    position: key, stream: name,
                    "\(name)'s chain is broken: version \(record.version) (expected \(expectedVersion)), previous \(record.previousInStream.map(String.init) ?? "none") (expected \(previous.map { String($0.position) } ?? "none"))"
                ))
        }
        streams[name] = (record.version, key)
        if try txn.get(layout.eventIds, EventIDKey(record.eventId)) != key {
            note(
                Problem(
                    position: key, stream: name, "event id \(record.eventId.lowercaseText) does not lead to position \(key) in event_ids"))
        }
        if record.version % StorageLayout.markInterval == 0 {
            marks += 1
            let stream = StreamName(trusted: name)
            if try txn.get(layout.streamMarks, StreamIndexKey(stream: stream, version: record.version)) != key {
                note(Problem(position: key, stream: name, "\(name)'s mark for version \(record.version) does not lead to position \(key)"))
            }
        }
    }

    /// Checks the events up to the head and compares the indexes with what
    /// the events say, in one transaction.
    public mutating func finish(in txn: borrowing Transaction) throws {
        while try step(limit: 65_536, in: txn) > 0, problems.count < Self.maxProblems {}
        let layout = log.layout
        let head = try log.head(in: txn)
        if next != head, !problems.contains(where: { $0.position != nil }) {
            note(Problem(position: min(next, head), "the log's head is \(head) but its events end at \(next)"))
        }
        var seen = 0
        try txn.scan(layout.streams) { name, info in
            seen += 1
            guard let chain = streams[name] else {
                note(Problem(stream: name, "streams lists \(name), which has no events"))
                return problems.count < Self.maxProblems
            }
            if chain.version != info.lastVersion || chain.position != info.lastPosition {
                note(
                    Problem(
                        position: chain.position, stream: name,
                        "streams says \(name) ends at version \(info.lastVersion), position \(info.lastPosition); its events end at version \(chain.version), position \(chain.position)"
                    ))
            }
            return problems.count < Self.maxProblems
        }
        if seen != streams.count { note(Problem("streams lists \(seen) streams; the events hold \(streams.count)")) }
        let ids = try txn.count(layout.eventIds)
        if ids != Int(next) { note(Problem("event_ids holds \(ids) entries for \(next) events")) }
        let storedMarks = try txn.count(layout.streamMarks)
        if storedMarks != marks { note(Problem("stream_marks holds \(storedMarks) entries; the events make \(marks)")) }
        if !treeBroken {
            try txn.withCursor(layout.merkle) { cursor in
                var stored = try StoredSubtrees(cursor, from: subtreeIndex)
                if case let extra = try stored.remaining(cursor), extra > 0 {
                    note(Problem("the tree stores \(extra) subtrees more than the log's events make"))
                }
            }
        }
    }

    private mutating func note(_ problem: Problem) {
        if problems.count < Self.maxProblems { problems.append(problem) }
    }
}
