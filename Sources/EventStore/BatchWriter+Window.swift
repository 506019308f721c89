import AccordCore
import LMDB
import Merkle

extension BatchWriter {
    /// The writer's state as LMDB last committed it: where a window that
    /// must be written again starts from.
    struct Applied {
        let head: Position
        let tree: CompactRange
        let lastRecordedAt: Timestamp
        let mark: WriteAheadSegment.Mark?
    }

    /// Applies group commits to LMDB in one transaction (a window): `first`,
    /// then each batch `next` returns until it returns `nil`. With a
    /// write-ahead segment each commit is acknowledged (`acknowledge`) as
    /// soon as its segment record is synced, before LMDB commits the
    /// window, so many commits share LMDB's page writes; without one, LMDB's
    /// own synced commit comes first and `next` is not asked.
    ///
    /// Readers see a window's events once it is applied (`headMonitor`
    /// publishes then); `durableHead` moves with each acknowledgement.
    /// When the map grows mid-window the transaction is written again: the
    /// acknowledged commits from their segment records, then the commit that
    /// met the full map. Near the map's largest size a batch commits alone
    /// and is acknowledged after LMDB's commit. Any other failure fails the commit that met it and
    /// writes the acknowledged ones again in a transaction of their own;
    /// should that fail too, they stay in the segment for a restart to
    /// replay, and every append is refused until then (`unapplied`).
    func applyWindow(
        _ first: [PendingAppend], next: () -> [PendingAppend]?,
        acknowledge: ([PendingAppend], [Result<AppendResult, any Error>]) -> Void
    ) {
        var carried: [PendingAppend]? = first
        while let batch = carried {
            carried = applyOneWindow(batch, next: next, acknowledge: acknowledge)
        }
    }

    /// One window; returns a batch it did not take because the disk had
    /// no room for it beside the window's (it starts the next window).
    private func applyOneWindow(
        _ first: [PendingAppend], next: () -> [PendingAppend]?,
        acknowledge: ([PendingAppend], [Result<AppendResult, any Error>]) -> Void
    ) -> [PendingAppend]? {
        if let unapplied {
            acknowledge(first, first.map { _ in .failure(unapplied) })
            return nil
        }
        let applied = self.applied
        let pages = segment == nil ? 0 : environment.info().pagesUsed
        var acked = applied.mark
        var current: [PendingAppend]? = first
        var carried: [PendingAppend]?
        var deferred: [Result<AppendResult, any Error>] = []
        // The window's one batch waits for LMDB's commit to be acknowledged.
        var held = false
        var attempts = 0
        do {
            try environment.write(syncing: segment == nil) { txn in
                attempts += 1
                held = false
                if attempts > 1 {
                    try restart(from: applied, acknowledgedUpTo: acked, in: txn)
                }
                let start = WindowStart(pages: pages, writes: txn.writeCount, bytes: txn.writtenBytes)
                while let batch = current {
                    if let full = reserveRoom(for: batch, window: start, in: txn) {
                        // The disk or map is nearly full: apply what was acknowledged, then try the batch alone.
                        guard head == applied.head else {
                            (carried, current) = (batch, nil)
                            return
                        }
                        // Alone near the map's largest size: acknowledged only once LMDB committed it,
                        // so a commit that meets the full map refuses it and loses nothing acknowledged.
                        guard case .storageFull = full else { throw full }
                        held = true
                    }
                    let results = try commitBatch(batch, in: txn)
                    guard let segment, !held else {
                        deferred = results
                        return
                    }
                    acked = segment.mark
                    current = nil
                    headMonitor.acknowledge(head)
                    acknowledge(batch, results)
                    current = next()
                }
            }
        } catch {
            let ackedHead = head
            reset(to: applied)
            if let segment, let acked { try? segment.rewind(to: acked) }
            let failure = EventStoreError(storage: Self.diagnose(error, at: environment.path))
            if let batch = current {
                if case .storageFull(let why) = failure { refusals.refused(batch.count, reason: why) }
                current = nil
                acknowledge(batch, batch.map { _ in .failure(failure) })
            }
            if ackedHead != applied.head { writeAgain(from: applied, upTo: acked, after: failure) }
        }
        if segment == nil || held, let batch = current { acknowledge(batch, deferred) }
        if head != applied.head {
            headMonitor.publish(head)
            syncPointIfDue()
        }
        return carried
    }

    /// Starts a window's transaction again from LMDB's last commit: the
    /// hook forgets what it cached, the segment loses any record after the
    /// acknowledged ones, and those are written again as they were.
    private func restart(
        from applied: Applied, acknowledgedUpTo acked: WriteAheadSegment.Mark?, in txn: borrowing Transaction
    ) throws {
        reset(to: applied)
        guard let segment, let start = applied.mark, let acked else { return }
        try segment.rewind(to: acked)
        guard acked.offset > start.offset else { return }
        windowsWrittenAgain += 1
        try rewrite(segment.records(from: start.offset, to: acked.offset, first: applied.head), from: applied, in: txn)
    }

    /// Puts the writer back to `applied` (LMDB's last commit; the hook
    /// forgets what it cached), then writes `records` in `txn` as they were,
    /// without writing them to the segment again.
    func rewrite(_ records: [SegmentRecord], from applied: Applied, in txn: borrowing Transaction) throws {
        reset(to: applied)
        let wasReplaying = replaying
        replaying = true
        defer { replaying = wasReplaying }
        for record in records { try rewrite(record, in: txn) }
    }

    /// The writer as LMDB last committed it, for a transaction begun again.
    var applied: Applied { Applied(head: head, tree: tree, lastRecordedAt: lastRecordedAt, mark: segment?.mark) }

    /// Forgets what a transaction that will not commit did: the hook's caches and the writer's state.
    func reset(to applied: Applied) {
        hook?.rollback()
        (head, tree, lastRecordedAt) = (applied.head, applied.tree, applied.lastRecordedAt)
    }

    /// After a failed window: its acknowledged commits, safe in the
    /// segment, written to LMDB again in a transaction of their own.
    private func writeAgain(from applied: Applied, upTo acked: WriteAheadSegment.Mark?, after failure: EventStoreError) {
        do {
            try environment.write(syncing: false) { txn in try restart(from: applied, acknowledgedUpTo: acked, in: txn) }
        } catch {
            reset(to: applied)
            let why = EventStoreError.storage(
                "acknowledged appends could not be applied to the log (\(failure)); they are safe in the write-ahead segment, and restarting the server applies them"
            )
            unapplied = why
            headMonitor.fail(why)
        }
    }

    /// Writes one segment record's events in `txn` as they were stored
    /// (a copy: validated when first written), checking each leaf hash
    /// against the record's.
    func rewrite(_ record: SegmentRecord, in txn: borrowing Transaction) throws {
        var events: [RecordedEvent] = []
        for entry in record.entries {
            events.append(try entry.record.withUnsafeBytes { try RecordView($0).decode() })
        }
        // As written: projected while the projections were at the head; once a bulk copy left them
        // behind, every later commit was one too (any other is refused until a rebuild).
        let projecting = try hook != nil && log.hookHead(in: txn) == head
        let request = try EventStore.copyRequest(events, projecting: projecting, merkleTree: merkleTree)
        let result = try commitBatch([PendingAppend(request: request, executor: nil) { _ in }], in: txn)[0].get()
        if merkleTree, result.leafHashes != record.entries.map(\.leaf) {
            throw EventStoreError.corrupted("the write-ahead segment's commit at \(record.first) hashes differently from its record")
        }
    }
}
