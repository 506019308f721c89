import AccordClient
import AccordCore
import AccordJSON
import Editions
import EventStore
import Merkle

/// Feeds an `EditionFold` exactly the first `size` events of a log, from a
/// data directory or a server, and recomputes the Merkle tree over them as
/// it goes: an edition is made only from events that hash to the signed
/// root, and a previous edition only counts if its root is this log's at
/// its size.
struct EditionEvents {
    let size: UInt64
    let root: TreeHash
    let previous: PreviousEdition?

    private var foldPrevious: EditionFold.Previous? { previous.map { .init(size: $0.treeSize, date: $0.date) } }

    func offline(_ store: EventStore) throws -> EditionFold {
        var fold = EditionFold(previous: foldPrevious)
        var tree = CompactRange()
        var writer = JSONWriter(capacity: 4_096)
        try checkPrevious(tree)
        try store.read { txn in
            try store.log.scanRecords(in: txn) { record in
                guard tree.size < size else { return false }
                tree.append(record.leafHash(using: &writer)) { _, _, _ in }
                fold.apply(record.decode())
                try checkPrevious(tree)
                return true
            }
        }
        try checkRoot(tree)
        return fold
    }

    /// Online, each page's events are read from the answer's bytes as
    /// sent: each event's bytes are its leaf, hashed as they are, and the
    /// event is read from them without a JSON tree (`RecordedEvent(canonical:)`);
    /// the root the leaves make must be the signed one, so nothing is taken on trust.
    func online(_ client: AccordClient) async throws -> EditionFold {
        var fold = EditionFold(previous: foldPrevious)
        var tree = CompactRange()
        try checkPrevious(tree)
        @Sendable func page(from position: UInt64) async throws -> [UInt8] {
            guard position < size else { return [] }
            return try await client.requestLine(
                "read_all", ["from": .integer(Int64(position)), "limit": .integer(Int64(min(1_000, size - position)))])
        }
        var line = try await page(from: 0)
        while tree.size < size {
            let events = try Self.events(in: line)
            guard !events.isEmpty else { throw AuditFailure("the server returned no event at position \(tree.size)") }
            // The next page is asked for while this one is folded: the
            // server reads and the client parses on the other core.
            let next = tree.size + UInt64(events.count)
            async let following = page(from: next)
            for (event, leaf) in events where tree.size < size {
                guard event.position == tree.size else {
                    throw AuditFailure("the server returned position \(event.position) where \(tree.size) should be")
                }
                tree.append(leaf) { _, _, _ in }
                fold.apply(event)
                try checkPrevious(tree)
            }
            line = try await following
        }
        try checkRoot(tree)
        return fold
    }

    /// The events of a `read_all` answer line, each with the leaf hash of its bytes as sent.
    static func events(in line: [UInt8]) throws -> [(RecordedEvent, TreeHash)] {
        try line.withUnsafeBytes { bytes in
            var result: UnsafeRawBufferPointer?
            JSONMemberScanner.forEachMember(in: bytes) { key, value in if key.equals("result") { result = value } }
            var array: UnsafeRawBufferPointer?
            if let result { JSONMemberScanner.forEachMember(in: result) { key, value in if key.equals("events") { array = value } } }
            guard let array else { throw AuditFailure("the server's read_all answer holds no events") }
            var events: [(RecordedEvent, TreeHash)] = []
            var problem: (any Error)?
            let complete = JSONMemberScanner.forEachElement(in: array) { element in
                guard problem == nil else { return }
                do { events.append((try RecordedEvent(canonical: element), RFC6962.leafHash(element))) } catch { problem = error }
            }
            if let problem { throw problem }
            guard complete else { throw AuditFailure("the server's read_all answer is not a list of events") }
            return events
        }
    }

    private func checkPrevious(_ tree: CompactRange) throws {
        guard let previous, tree.size == previous.treeSize, tree.root != previous.root else { return }
        throw AuditFailure(
            "the previous edition's root for \(previous.treeSize) events is \(previous.root.base64) but this log's is "
                + "\(tree.root.base64): it is an edition of another log, or of a history since rewritten")
    }

    private func checkRoot(_ tree: CompactRange) throws {
        guard tree.size == size else { throw AuditFailure("the log holds \(tree.size) events, fewer than the checkpoint's \(size)") }
        guard tree.root == root else {
            throw AuditFailure("the first \(size) events hash to \(tree.root.base64), not the signed root \(root.base64)")
        }
    }
}
