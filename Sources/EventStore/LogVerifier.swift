import AccordCore
import AccordJSON
import LMDB
import Merkle

/// Recomputes the Merkle tree from the stored events and compares it with the
/// stored tree, in one read snapshot: what `accord verify` runs offline.
///
/// It checks that positions are dense from 0, that every stored record
/// decodes, that every leaf hash matches its event's canonical bytes, and that
/// every stored subtree matches the recomputed one. It stops at the first
/// problem, which names the earliest position involved.
public struct LogVerifier {
    public struct Report: Sendable, Equatable {
        /// Events read and hashed.
        public var eventsChecked: UInt64
        /// The recomputed tree over them.
        public var size: UInt64
        public var root: TreeHash
        /// The first thing that differs, or `nil` when the log is intact.
        public var problem: Problem?
    }

    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The event stored at `position` does not hash to the stored leaf:
        /// the event or its leaf was altered after it was written.
        case leafMismatch(position: Position, stored: TreeHash?, computed: TreeHash)
        /// A stored interior hash differs from the one recomputed over `positions`.
        case subtreeMismatch(level: Int, positions: Range<Position>)
        /// The record at `found` was expected at `expected` (a gap or a moved record).
        case positionGap(expected: Position, found: Position)
        /// The record at `position` cannot be decoded.
        case unreadable(position: Position, reason: String)
        /// The tree stores more subtrees than the log's events complete.
        case extraSubtrees(count: UInt64)

        public var description: String {
            switch self {
            case .leafMismatch(let position, let stored, let computed):
                "position \(position): the event hashes to \(computed.hex) but the tree stores \(stored?.hex ?? "nothing"); the event or its leaf was altered"
            case .subtreeMismatch(let level, let positions):
                "positions \(positions.lowerBound)..<\(positions.upperBound): the stored subtree hash (level \(level)) differs from the recomputed one"
            case .positionGap(let expected, let found): "position \(expected): missing (the next record is at \(found))"
            case .unreadable(let position, let reason): "position \(position): the record cannot be read (\(reason))"
            case .extraSubtrees(let count): "the tree stores \(count) subtrees more than the log's events make"
            }
        }

        /// The mismatch of a recomputed subtree with the stored one, or `nil` when they agree.
        init?(level: Int, index: UInt64, computed: TreeHash, stored: TreeHash?) {
            guard stored != computed else { return nil }
            self =
                level == 0
                ? .leafMismatch(position: index, stored: stored, computed: computed)
                : .subtreeMismatch(level: level, positions: (index << level)..<((index + 1) << level))
        }

        /// The earliest position the problem involves.
        public var position: Position? {
            switch self {
            case .leafMismatch(let position, _, _), .positionGap(let position, _), .unreadable(let position, _): position
            case .subtreeMismatch(_, let positions): positions.lowerBound
            case .extraSubtrees: nil
            }
        }
    }

    let log: LogReader

    public init(store: EventStore) {
        log = store.log
    }

    /// Checks the whole log; `progress` is called every 65,536 events with the count so far.
    public func verify(in txn: borrowing Transaction, progress: (UInt64) -> Void = { _ in }) throws -> Report {
        var tree = CompactRange()
        var writer = JSONWriter(capacity: 4_096)
        var problem: Problem?
        try txn.withCursor(log.layout.merkle) { cursor in
            var stored = try StoredSubtrees(cursor)
            try txn.scanRaw(log.layout.events) { key, value in
                let record: RecordView
                do {
                    record = try RecordView(value)
                } catch {
                    problem = .unreadable(position: (try? UInt64(lmdbBytes: key)) ?? tree.size, reason: "\(error)")
                    return false
                }
                guard record.position == tree.size else {
                    problem = .positionGap(expected: tree.size, found: record.position)
                    return false
                }
                // Each subtree the leaf completes is compared with the next stored one.
                var completed: [(level: Int, index: UInt64, hash: TreeHash)] = []
                tree.append(record.leafHash(using: &writer)) { level, index, hash in completed.append((level, index, hash)) }
                for (level, index, hash) in completed where problem == nil {
                    problem = Problem(level: level, index: index, computed: hash, stored: try stored.next(cursor))
                }
                if tree.size & 0xFFFF == 0 { progress(tree.size) }
                return problem == nil
            }
            if problem == nil, case let extra = try stored.remaining(cursor), extra > 0 {
                problem = .extraSubtrees(count: extra)
            }
        }
        return Report(eventsChecked: tree.size, size: tree.size, root: tree.root, problem: problem)
    }
}

/// The stored subtrees in storage order, read entry by entry (`MerkleBatch`):
/// each entry's hashes are copied out as the cursor reaches it.
struct StoredSubtrees {
    typealias MerkleCursor = Cursor<UInt64, [UInt8]>
    /// The current entry: its first storage index and its hashes.
    var entry: (first: UInt64, hashes: [TreeHash])?
    var offset = 0
    /// The storage index the next hash should have.
    var expected: UInt64 = 0

    init(_ cursor: borrowing MerkleCursor) throws {
        entry = try cursor.first(Self.copy)
    }

    /// Starts at storage index `index`, within the entry that holds it (a check that continues in a new transaction).
    init(_ cursor: borrowing MerkleCursor, from index: UInt64) throws {
        guard index > 0 else {
            entry = try cursor.first(Self.copy)
            return
        }
        entry = try cursor.seek(atMost: index, Self.copy)
        if let first = entry?.first { offset = Int(index - first) }
        expected = index
    }

    private static func copy(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws -> (first: UInt64, hashes: [TreeHash]) {
        let count = value.count / TreeHash.byteCount
        let hashes = (0..<count).map { i in
            TreeHash(unsafeBytes: UnsafeRawBufferPointer(rebasing: value[i * TreeHash.byteCount..<(i + 1) * TreeHash.byteCount]))
        }
        // A partial hash at the end is left out: the next index then mismatches.
        return (try UInt64(lmdbBytes: key), hashes)
    }

    /// The next stored hash, or `nil` when the tree ends or skips a number here.
    mutating func next(_ cursor: borrowing MerkleCursor) throws -> TreeHash? {
        defer { expected += 1 }
        if let current = entry, offset >= current.hashes.count {
            entry = try cursor.next(Self.copy)
            offset = 0
        }
        guard let current = entry, offset < current.hashes.count, current.first + UInt64(offset) == expected else { return nil }
        defer { offset += 1 }
        return current.hashes[offset]
    }

    /// How many stored hashes were not read.
    mutating func remaining(_ cursor: borrowing MerkleCursor) throws -> UInt64 {
        var count = UInt64(max(0, (entry?.hashes.count ?? 0) - offset))
        while let next = try cursor.next({ _, value in value.count / TreeHash.byteCount }) { count += UInt64(next) }
        entry = nil
        return count
    }
}
