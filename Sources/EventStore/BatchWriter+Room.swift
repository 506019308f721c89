import LMDB

extension BatchWriter {
    /// What the open window has written, for bounding the pages it adds.
    struct WindowStart {
        /// LMDB's pages as of its last commit.
        let pages: Int
        let writes: UInt64
        let bytes: UInt64
    }

    /// Makes sure LMDB's data file has disk blocks for every page the open
    /// window (begun at `start`) and `batch` may add, so that committing
    /// the window, after its commits were acknowledged, cannot meet a full
    /// disk or a map at its largest size; if they may not fit, why:
    /// `diskFull` (refuse `batch` when nothing else is in the window) or
    /// `storageFull` (commit it alone, acknowledged after LMDB's commit).
    ///
    /// The bound is loose (four new pages per write, twice the bytes
    /// written), because LMDB does not say how many pages a transaction has
    /// dirtied; the file grows ahead by `reserveStep` at a time, and LMDB
    /// fills what was reserved before it grows again.
    func reserveRoom(for batch: [PendingAppend], window start: WindowStart, in txn: borrowing Transaction) -> LMDBError? {
        guard segment != nil else { return nil }
        let page = UInt64(pageSize)
        let written = (txn.writeCount - start.writes) * 4 + (txn.writtenBytes - start.bytes) * 2 / page
        var events = 0
        var bytes = 0
        for pending in batch {
            events += pending.prepared.request.eventCount
            bytes += pending.prepared.request.size
        }
        // An event's writes: its record, id, stream, mark, and the hook's projections.
        let coming = UInt64(events) * 8 * 4 + UInt64(bytes) * 2 / page
        let pages = UInt64(start.pages) + written + coming
        // A window whose commit met the map's largest size would fail after
        // acknowledging its commits: refused a little early instead (the
        // estimate is loose already; 32 pages for LMDB's free list at commit).
        let largest = environment.options.maxMapSize
        guard Int(pages + 32) * pageSize <= largest else { return .storageFull(mapSize: largest) }
        let needed = Int(pages + 256) * pageSize
        guard needed > reservedBytes else { return nil }
        for target in [min(needed + Self.reserveStep, largest), needed] {
            do {
                try environment.reserve(bytes: target)
                reservedBytes = target
                return nil
            } catch {
                continue
            }
        }
        return .diskFull
    }

    /// How far ahead of need the data file is reserved: one `fallocate` per this many bytes of growth.
    static var reserveStep: Int { 8 << 20 }
}
