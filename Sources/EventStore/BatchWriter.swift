import AccordJSON
import Foundation
import LMDB
import Merkle

/// Writes batches of append requests in one LMDB transaction each.
///
/// Used only from the group-commit thread: its state (`head`,
/// `lastRecordedAt`) is never shared, so it needs no lock.
final class BatchWriter: @unchecked Sendable {
    let environment: Environment
    let log: LogReader
    let hook: (any AppendHook)?
    let clock: @Sendable () -> Timestamp
    let headMonitor: HeadMonitor
    private var head: Position
    private var lastRecordedAt: Timestamp
    /// The Merkle tree's peaks as of the last commit; `tree.size == head`.
    private var tree: CompactRange
    private let merkleTree: Bool
    private let grower = TreeGrower()

    init(
        environment: Environment, log: LogReader, hook: (any AppendHook)?, clock: @escaping @Sendable () -> Timestamp, merkleTree: Bool
    ) throws {
        self.merkleTree = merkleTree
        self.environment = environment
        self.log = log
        self.hook = hook
        self.clock = clock
        (head, lastRecordedAt, tree) = try environment.read { txn in
            let stamp = try txn.get(log.layout.meta, "last_recorded_at") ?? 0
            let head = try log.head(in: txn)
            let tree = merkleTree ? try log.compactRange(size: head, in: txn) : CompactRange()
            return (head, Timestamp(microseconds: Int64(bitPattern: stamp)), tree)
        }
        headMonitor = HeadMonitor(head: head)
    }

    /// Commits `requests` together with one sync; each gets its own result.
    ///
    /// Each request runs in a nested transaction, so a request that fails
    /// validation is rolled back alone. Storage failures (a full map at its
    /// maximum, a full disk) fail the whole batch and leave the log as it was.
    func commit(_ requests: [AppendRequest]) -> [Result<AppendResult, any Error>] {
        var results: [Result<AppendResult, any Error>] = []
        var nextHead = head
        var batch = MerkleBatch(continuing: tree)
        let recordedAt = max(clock(), lastRecordedAt)
        var attempts = 0
        do {
            try environment.write { txn in
                attempts += 1
                if attempts > 1 { hook?.rollback() }
                results.removeAll(keepingCapacity: true)
                nextHead = head
                batch = MerkleBatch(continuing: tree)
                if merkleTree { grower.begin(continuing: tree, recordedAt: recordedAt, requests: requests.count) }
                var leaves: [PendingLeaf] = []
                for request in requests {
                    do {
                        let (result, after) = try txn.nested { child in
                            try append(request, at: nextHead, recordedAt: recordedAt, leaves: &leaves, in: child)
                        }
                        nextHead = after
                        results.append(.success(result))
                        if !leaves.isEmpty { grower.add(leaves) }
                    } catch let error as LMDBError where error.failsWholeBatch {
                        throw error
                    } catch {
                        results.append(.failure(error))
                    }
                    leaves.removeAll(keepingCapacity: true)
                }
                if merkleTree {
                    let grown = grower.finish()
                    batch = grown.batch
                    addReceipts(grown.hashes, first: head, to: &results)
                }
                if nextHead != head {
                    try batch.write(to: log.layout.merkle, in: txn)
                    try hook?.willCommit(head: nextHead, in: txn, log: log)
                    try txn.put(log.layout.meta, "last_recorded_at", UInt64(bitPattern: recordedAt.microseconds))
                }
            }
        } catch {
            hook?.rollback()
            let failure = EventStoreError(storage: Self.diagnose(error, at: environment.path))
            return requests.map { _ in .failure(failure) }
        }
        if nextHead != head {
            head = nextHead
            tree = batch.range
            lastRecordedAt = recordedAt
            headMonitor.publish(head)
        }
        // Every receipt names the tree that includes it: the tree as committed.
        return results.map { $0.map { result in result.included(inTreeOf: nextHead) } }
    }

    /// Ends the helper that grows the tree beside the writer.
    func close() {
        grower.stop()
    }

    private func append(
        _ request: AppendRequest, at head: Position, recordedAt: Timestamp, leaves: inout [PendingLeaf], in txn: Transaction
    ) throws -> (AppendResult, Position) {
        if let original = try originalResult(of: request, batchStart: self.head, in: txn) { return (original, head) }
        let layout = log.layout
        let info = try txn.get(layout.streams, request.stream.rawValue)
        let current = info?.lastVersion
        var previous = info?.lastPosition
        guard request.expected.isSatisfied(by: current) else {
            throw EventStoreError.wrongExpectedVersion(stream: request.stream, expected: request.expected, actual: current)
        }
        var version = current.map { $0 + 1 } ?? 0
        var position = head
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(request.events.count)
        for event in request.events {
            let record = RecordedEvent(
                position: position, stream: request.stream, version: version, eventId: event.eventId, type: event.type,
                data: event.data, metadata: event.metadata, occurredAt: event.occurredAt, recordedAt: recordedAt,
                principal: request.principal)
            if merkleTree { leaves.append(PendingLeaf(record, head: request.leafHeads[recorded.count])) }
            try txn.put(layout.events, position, EventRecord.encode(record, previousInStream: previous), append: true)
            try txn.put(layout.eventIds, EventIDKey(event.eventId), position, noOverwrite: true)
            if version % StorageLayout.markInterval == 0 {
                try txn.put(layout.streamMarks, StreamIndexKey(stream: request.stream, version: version), position)
            }
            previous = position
            recorded.append(record)
            position += 1
            version += 1
        }
        let summary = try hook?.didAppend(recorded, prepared: request.prepared, in: txn, log: log) ?? info?.summary ?? []
        guard summary.count <= StreamInfo.maxSummaryBytes else {
            throw EventStoreError.corrupted("an append hook returned a stream summary of \(summary.count) bytes")
        }
        try txn.put(layout.streams, request.stream.rawValue, StreamInfo(lastVersion: version - 1, lastPosition: position - 1, summary: summary))
        // Its leaf hashes are filled in once the commit's tree is grown.
        let result = AppendResult(positions: head..<position, streamVersion: version - 1, recordedAt: recordedAt, wasDuplicate: false)
        return (result, position)
    }

    /// Puts each new result's leaf hashes in its receipt (a retry's too, when
    /// its original is in this commit); `hashes[i]` is the leaf at `first + i`.
    private func addReceipts(_ hashes: [TreeHash], first: Position, to results: inout [Result<AppendResult, any Error>]) {
        // A request's events are all in one commit: a result is wholly in this commit or wholly before it.
        for index in results.indices {
            guard case .success(var result) = results[index], result.positions.lowerBound >= first else { continue }
            result.leafHashes = result.positions.map { hashes[Int($0 - first)] }
            results[index] = .success(result)
        }
    }

    /// The result of an earlier identical request, `nil` for a new one; throws
    /// `eventIdConflict` when ids were used before for something else.
    private func originalResult(of request: AppendRequest, batchStart: Position, in txn: Transaction) throws -> AppendResult? {
        var originals: [RecordedEvent] = []
        for (index, event) in request.events.enumerated() {
            guard let original = try log.event(withId: event.eventId, in: txn) else {
                guard originals.isEmpty else {
                    throw EventStoreError.eventIdConflict(eventId: originals[0].eventId, existingPosition: originals[0].position)
                }
                continue
            }
            let follows = originals.last.map { $0.position + 1 == original.position } ?? true
            guard index == originals.count, follows, original.hasSameContent(as: event, in: request.stream) else {
                throw EventStoreError.eventIdConflict(eventId: event.eventId, existingPosition: original.position)
            }
            originals.append(original)
        }
        guard let first = originals.first, let last = originals.last else { return nil }
        return AppendResult(
            positions: first.position..<last.position + 1, streamVersion: last.version,
            recordedAt: last.recordedAt, wasDuplicate: true,
            // Originals in this batch get their leaf hashes with the batch's (`addLeaves`).
            leafHashes: merkleTree && first.position < batchStart ? try originals.map { try log.leafHash(at: $0.position, in: txn) } : [])
    }
}

extension BatchWriter {
    /// LMDB reports a short write as EIO; when the disk is (nearly) full that
    /// is what happened, and the caller should hear `storage_full`, not a
    /// hardware fault.
    static func diagnose(_ error: any Error, at path: String) -> any Error {
        guard case LMDBError.system(let code, _) = error, code == EIO else { return error }
        var disk = statvfs()
        guard statvfs(path, &disk) == 0, UInt64(disk.f_bavail) * UInt64(disk.f_frsize) < 64 << 20 else { return error }
        return LMDBError.diskFull
    }
}

extension LMDBError {
    /// Whether this error leaves the whole transaction unusable, rather than
    /// just the one request that met it.
    var failsWholeBatch: Bool {
        switch self {
        case .keyExists, .badValueSize, .readOnlyTransaction: false
        // A request too large for one commit also fails its batch: hooks may
        // have cached state from its writes, and only a rollback clears it.
        case .transactionFull, .mapFull, .mapResized, .storageFull, .diskFull, .readersFull, .databasesFull,
             .corrupted, .incompatible, .misuse, .system: true
        }
    }
}

extension EventStoreError {
    /// Maps a failure of a whole batch to what its callers see.
    init(storage error: any Error) {
        switch error {
        case let error as EventStoreError: self = error
        case LMDBError.storageFull(let size):
            self = .storageFull("storage is full: the map reached its configured maximum of \(size) bytes; reads still work")
        case LMDBError.diskFull:
            self = .storageFull("storage is full: the disk holding the data directory has no space left; reads still work")
        case let error as LMDBError: self = .storage(error.description)
        default: self = .storage(String(describing: error))
        }
    }
}
