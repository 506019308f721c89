import CLMDB

extension Environment {
    /// How an environment is opened. Every value is explicit; the defaults suit a
    /// single Accord server process.
    public struct Options: Sendable {
        /// The initial map size in bytes (rounded by LMDB to whole pages).
        public var mapSize: Int = 1 << 30
        /// The map never grows beyond this many bytes; past it writes throw `storageFull`.
        public var maxMapSize: Int = 1 << 40
        /// How many named databases may be opened.
        public var maxDatabases: Int = 32
        /// How many read transactions may be open at once across all processes.
        public var maxReaders: Int = 1024
        /// Opens the environment read-only (for inspection tools beside a live server).
        public var readOnly: Bool = false
        /// Whether a commit waits for the disk.
        public var durability: Durability = .writeAhead

        public init() {}

        /// Rounds growth so a tiny map does not grow a page at a time.
        var pageAlignedGrowthFloor: Int { 1 << 20 }

        var flags: UInt32 {
            // MDB_NOTLS: transactions are closure-scoped and may run on any thread
            // of Swift's cooperative pool, so reader slots must belong to the
            // transaction, not the thread.
            var flags = UInt32(MDB_NOTLS)
            if readOnly { flags |= UInt32(MDB_RDONLY) }
            switch durability {
            case .synced: break
            case .unsyncedForBenchmarksOnly, .writeAhead: flags |= UInt32(MDB_NOSYNC)
            }
            return flags
        }
    }

    /// Whether commits reach the disk before `write` returns.
    public enum Durability: Sendable {
        /// Every commit is flushed with fsync before it returns (the default).
        case synced
        /// Commits return before the disk has them; a crash may lose recent commits.
        /// For measuring the cost of sync, never for a register.
        case unsyncedForBenchmarksOnly
        /// Commits return before the disk has them because the caller made
        /// them durable first, in a write-ahead log of its own that it
        /// replays after a crash. The caller syncs (`sync()`) before it
        /// drops any of that log, and pins the synced snapshot
        /// (`pinSnapshot()`) so that later commits never overwrite its pages:
        /// after a power loss, that snapshot's meta pages (`metaPages()`,
        /// `restoreMetaPages`) bring back a consistent file to replay onto.
        case writeAhead
    }
}
