import CLMDB

#if canImport(Glibc)
import Glibc
#endif

extension Environment {
    /// Sizes and counters of an open environment.
    public struct Info: Sendable, Equatable {
        /// The size of the memory map in bytes.
        public var mapSize: Int
        /// The database page size in bytes.
        public var pageSize: Int
        /// Pages in use, including free-list pages (the high-water mark).
        public var pagesUsed: Int
        /// The id of the last committed transaction.
        public var lastTransactionID: Int
        /// Reader slots in the lock table and how many are in use.
        public var maxReaders: Int
        public var readersInUse: Int

        /// Bytes in use in the data file.
        public var bytesUsed: Int { pagesUsed * pageSize }
    }

    /// Reads the environment's current sizes; cheap, and safe during
    /// transactions and from any thread: LMDB reads the meta pages through
    /// the map, so this waits while the map is being remapped.
    public func info() -> Info {
        remapLock.withShared { infoWhileMapped() }
    }

    /// `info()` for a caller that holds `remapLock` already.
    func infoWhileMapped() -> Info {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(handle, &info)
        mdb_env_stat(handle, &stat)
        return Info(
            mapSize: info.me_mapsize,
            pageSize: Int(stat.ms_psize),
            pagesUsed: info.me_last_pgno + 1,
            lastTransactionID: info.me_last_txnid,
            maxReaders: Int(info.me_maxreaders),
            readersInUse: Int(info.me_numreaders)
        )
    }

    /// Writes a consistent copy of the environment into the empty directory `path`
    /// while writers keep running. With `compact`, free pages are omitted.
    public func copy(to path: String, compact: Bool = true) throws {
        try LMDBError.check(mdb_env_copy2(handle, path, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    /// The size of the data file on disk (LMDB grows it as pages are first
    /// written, up to the map size); 0 when it cannot be read.
    public var dataFileBytes: Int {
        var info = stat()
        return stat(path + "/data.mdb", &info) == 0 ? Int(info.st_size) : 0
    }

    /// Allocates disk blocks for the data file's first `bytes` (growing the
    /// file), so that LMDB's later writes of those pages cannot meet a full
    /// disk. Throws `diskFull` when the disk has no room for them.
    public func reserve(bytes: Int) throws {
        var fd: Int32 = -1
        try LMDBError.check(mdb_env_get_fd(handle, &fd))
        let rc = posix_fallocate(fd, 0, off_t(bytes))
        guard rc == 0 else {
            throw rc == ENOSPC
                ? LMDBError.diskFull : LMDBError.system(errno: rc, message: "cannot reserve \(bytes) bytes for \(path)/data.mdb")
        }
    }

    /// Writes a consistent, compacted copy of the environment's data file to
    /// the open file `descriptor` (so the caller chooses its mode), synced.
    public func copy(toDescriptor descriptor: Int32) throws {
        try LMDBError.check(mdb_env_copyfd2(handle, descriptor, UInt32(MDB_CP_COMPACT)))
        guard fsync(descriptor) == 0 else { throw LMDBError(code: errno) }
    }

    /// Flushes buffers to disk; needed only when commits are not synced
    /// (`Durability.writeAhead`, `unsyncedForBenchmarksOnly`).
    public func sync() throws {
        try LMDBError.check(mdb_env_sync(handle, 1))
    }
}
