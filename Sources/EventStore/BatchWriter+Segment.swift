import AccordCore
import Foundation
import LMDB
import Merkle

extension BatchWriter {
    /// Appends to the segment the records this commit wrote at `first ..<
    /// end`, as stored, with their leaf hashes (zeros in a log kept without
    /// a tree), each copied once from the transaction into the segment's buffer.
    func appendSegmentRecord(
        to segment: WriteAheadSegment, from first: Position, to end: Position, leaves: [TreeHash], in txn: borrowing Transaction
    ) throws {
        let none = TreeHash(bytes: [UInt8](repeating: 0, count: TreeHash.byteCount))!
        try segment.append(first: first, end: end) { builder, out in
            try txn.scanRaw(log.layout.events, from: first) { _, value in
                let index = builder.count
                builder.add(value, leaf: index < leaves.count ? leaves[index] : none, into: &out)
                return first + Position(builder.count) < end
            }
        }
    }

    /// Runs a sync point when enough was written since the last. After a
    /// failure the segment keeps every record since the last sync point
    /// (nothing is lost; it grows) and the next commit tries again.
    func syncPointIfDue() {
        // Mid-replay, a new cycle would drop the records not yet replayed: the replay ends with one.
        guard let segment, !replaying else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard segment.writeOffset - WriteAheadSegment.recordsStart >= syncPointBytes || now - lastSyncPoint >= syncPointNanoseconds
        else { return }
        try? syncPoint(clean: false)
    }

    /// Makes LMDB durable as it is, records that in a new segment header
    /// (the meta pages to restore after a power loss, the boot it happened
    /// in), and starts a new cycle of the segment.
    ///
    /// The new pin is taken before the sync: it keeps whole every page of
    /// the snapshot whose meta pages the header saves (or of a later one,
    /// committed meanwhile by another writer). The old pin goes only once
    /// the header is durable: until then a power loss restores the old.
    func syncPoint(clean: Bool) throws {
        guard let segment else { return }
        let next = try environment.pinSnapshot()
        try environment.sync()
        let header = SegmentHeader(head: head, bootID: SegmentHeader.currentBootID, metaPages: try environment.metaPages(), clean: clean)
        try segment.startCycle(header)
        pin = consume next
        lastSyncPoint = DispatchTime.now().uptimeNanoseconds
    }

    /// Writes the segment's records from the head on again (a crash left
    /// them in the segment only), checking each leaf hash against the
    /// record's. No sync point runs meanwhile (a new cycle would drop the
    /// records not yet written); the caller runs one after. Returns how
    /// many events it wrote.
    func replay(_ records: [SegmentRecord]) throws -> Int {
        let pending = records.filter { $0.end > head }
        guard let first = pending.first else { return 0 }
        guard first.first == head else {
            throw EventStoreError.corrupted(
                "the write-ahead segment continues the log at position \(first.first), but the log ends at \(head)")
        }
        let applied = self.applied
        do {
            // One transaction for them all; it runs again from the same start when the map grows.
            try environment.write(syncing: false) { txn in try rewrite(pending, from: applied, in: txn) }
        } catch {
            reset(to: applied)
            throw error
        }
        headMonitor.publish(head)
        return pending.reduce(0) { $0 + $1.entries.count }
    }
}
