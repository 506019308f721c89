import AccordCore
import AccordJSON
import Foundation
import LMDB
import Merkle

/// Writes batches of append requests in one LMDB transaction each.
///
/// Used only by the holder of the writer role (it lives in a `WriterBound`):
/// its state (`head`, `lastRecordedAt`, the tree's peaks) is never shared.
final class BatchWriter {
    let environment: Environment
    let log: LogReader
    let hook: (any AppendHook)?
    let clock: @Sendable () -> Timestamp
    let headMonitor: HeadMonitor
    let refusals: StorageRefusals
    /// The log's length as of the last commit acknowledged (written to the
    /// segment; LMDB may not have applied it yet, see `applyWindow`).
    var head: Position
    var lastRecordedAt: Timestamp
    /// The Merkle tree's peaks as of the last commit; `tree.size == head`.
    var tree: CompactRange
    /// Set when a window's acknowledged commits could not be applied to
    /// LMDB again after a failure: they are safe in the segment, and a
    /// restart replays them; until then every append is refused.
    var unapplied: EventStoreError?
    /// Windows written again after the map grew while they were open.
    var windowsWrittenAgain = 0
    /// LMDB's page size, and how much of its data file has disk blocks
    /// (`reserveRoom`).
    let pageSize: Int
    var reservedBytes: Int
    let merkleTree: Bool
    private let grower = TreeGrower()
    /// Whether each request needs a nested transaction to be undone alone:
    /// only for a hook that may throw after writing. LMDB allocates about
    /// 3 MiB for every nested transaction, a cost per request on the writer.
    let isolated: Bool
    /// Where each commit is made durable before LMDB commits it unsynced
    /// (`nil` when LMDB syncs its own commits: read-only, or a benchmark's).
    let segment: WriteAheadSegment?
    /// The snapshot of the last sync point, kept whole on disk until the next.
    var pin: SnapshotPin?
    /// When the last sync point was (`DispatchTime` nanoseconds).
    var lastSyncPoint: UInt64 = 0
    /// A sync point is due after this many bytes of records, or this long:
    /// the most a restart replays.
    var syncPointBytes = 8 << 20
    var syncPointNanoseconds: UInt64 = 200_000_000
    /// Set while the segment's own records are replayed at open: they are
    /// in the segment already.
    var replaying = false

    init(
        environment: Environment, log: LogReader, hook: (any AppendHook)?, clock: @escaping @Sendable () -> Timestamp, merkleTree: Bool,
        refusals: StorageRefusals, segment: WriteAheadSegment?
    ) throws {
        self.refusals = refusals
        self.segment = segment
        // Before any commit: whatever the segment's header restores must stay whole.
        if segment != nil { pin = try environment.pinSnapshot() }
        self.merkleTree = merkleTree
        isolated = !(hook?.decidesBeforeWriting ?? true)
        self.environment = environment
        self.log = log
        self.hook = hook
        self.clock = clock
        pageSize = environment.info().pageSize
        reservedBytes = environment.dataFileBytes
        (head, lastRecordedAt, tree) = try environment.read { txn in
            let stamp = try txn.get(log.layout.meta, "last_recorded_at") ?? 0
            let head = try log.head(in: txn)
            let tree = merkleTree ? try log.compactRange(size: head, in: txn) : CompactRange()
            return (head, Timestamp(microseconds: Int64(bitPattern: stamp)), tree)
        }
        headMonitor = HeadMonitor(head: head)
    }

    /// Commits `appends` together with one sync, in a transaction of their
    /// own; each gets its own result (a window of one commit, see `applyWindow`).
    func commit(_ appends: [PendingAppend]) -> [Result<AppendResult, any Error>] {
        var results: [Result<AppendResult, any Error>] = []
        applyWindow(appends, next: { nil }) { results = $1 }
        return results
    }

    /// Writes `appends` in `txn` as one group commit and, with a segment,
    /// makes them durable there (one record, one sync); each gets its own
    /// result, and the writer's head moves past them.
    ///
    /// A request that fails validation fails alone: either nothing of it was
    /// written yet (every check runs before its first write, when the hook
    /// decides before writing or there is no hook), or it ran in a nested
    /// transaction that is rolled back. Storage failures (a full map at its
    /// maximum, a full disk), and any failure after a request began writing
    /// outside a nested transaction, throw: the whole commit fails and the
    /// transaction must be abandoned.
    func commitBatch(_ appends: [PendingAppend], in txn: borrowing Transaction) throws -> [Result<AppendResult, any Error>] {
        var results: [Result<AppendResult, any Error>] = []
        var nextHead = head
        var batch = MerkleBatch(continuing: tree)
        let recordedAt = max(clock(), lastRecordedAt)
        // Copied events keep the primary's commit times, the newest of which is the log's last.
        var latest = appends.contains { $0.prepared.request.isCopy } ? lastRecordedAt : recordedAt
        var leafHashes: [TreeHash] = []
        // The projections follow the log only while every event went through the hook: a
        // bulk copy leaves them behind until a rebuild, and nothing may project on top of that.
        var projected = try hook == nil || log.hookHead(in: txn) == head
        if merkleTree { grower.begin(continuing: tree, recordedAt: recordedAt, requests: appends.count) }
        var leaves: [PendingLeaf] = []
        // Each request is read where its pending append holds it, never copied.
        for pending in appends {
            do {
                if pending.prepared.request.skipsHook {
                    projected = false
                } else if hook != nil, !projected {
                    throw EventStoreError.invalidRequest(
                        "the projections are behind the log after a copy without them; rebuild them before appending")
                }
                let (result, after) =
                    isolated
                    ? try txn.nested { child in
                        try append(pending.prepared.request, at: nextHead, recordedAt: recordedAt, leaves: &leaves, in: child)
                    }
                    : try append(pending.prepared.request, at: nextHead, recordedAt: recordedAt, leaves: &leaves, in: txn)
                nextHead = after
                latest = max(latest, result.recordedAt)
                results.append(.success(result))
                if !leaves.isEmpty { grower.add(leaves) }
            } catch let error as LMDBError where error.failsWholeBatch {
                throw error
            } catch let error as HalfWrittenRequest {
                throw error
            } catch {
                results.append(.failure(error))
            }
            leaves.removeAll(keepingCapacity: true)
        }
        if merkleTree {
            let grown = grower.finish()
            batch = grown.batch
            leafHashes = grown.hashes
        }
        completeReceipts(merkleTree ? leafHashes : nil, first: head, treeSize: nextHead, in: &results)
        if nextHead != head {
            try batch.write(to: log.layout.merkle, in: txn)
            if projected { try hook?.willCommit(head: nextHead, in: txn, log: log) }
            try txn.put(log.layout.meta, "last_recorded_at", UInt64(bitPattern: latest.microseconds))
            // The hook's projections reflect the log up to here: kept on
            // the same page, so it costs the commit no page of its own.
            if hook != nil, projected { try txn.put(log.layout.meta, LogReader.hookHeadKey, nextHead) }
            // A write the hook swallowed must not be acknowledged: the window is written again.
            if environment.hitMapFull { throw LMDBError.mapFull }
            if let segment, !replaying {
                try appendSegmentRecord(to: segment, from: head, to: nextHead, leaves: leafHashes, in: txn)
            }
            head = nextHead
            tree = batch.range
            lastRecordedAt = latest
        }
        refusals.committed()
        return results
    }

    /// Ends the helper that grows the tree beside the writer, after a last
    /// sync point that leaves the segment with nothing to replay.
    func close() {
        if segment != nil { try? syncPoint(clean: true) }
        grower.stop()
    }

    /// Completes each receipt in one pass: the tree that includes it (the
    /// tree as of this commit) and, for a result written in this commit (a
    /// retry's too, when its original is in it), its leaf hashes;
    /// `hashes[i]` is the leaf at `first + i`, `nil` for a log without a tree.
    private func completeReceipts(
        _ hashes: [TreeHash]?, first: Position, treeSize: UInt64, in results: inout [Result<AppendResult, any Error>]
    ) {
        // A request's events are all in one commit: a result is wholly in this commit or wholly before it.
        for index in results.indices {
            guard case .success(var result) = results[index] else { continue }
            if let hashes, result.positions.lowerBound >= first { result.leafHashes = result.positions.map { hashes[Int($0 - first)] } }
            result.treeSize = treeSize
            results[index] = .success(result)
        }
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
            .corrupted, .incompatible, .misuse, .system, .alreadyOpen:
            true
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
