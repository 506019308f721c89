import CLMDB
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Environment {
    /// The data file's first two pages, LMDB's two meta pages, as the file
    /// holds them now: after `sync()`, the durable description of the
    /// synced snapshot (and the one before it). Read with no transaction
    /// active, so no commit is writing them.
    public func metaPages() throws -> [UInt8] {
        let fd = open(path + "/data.mdb", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LMDBError(code: errno) }
        defer { close(fd) }
        var pages = [UInt8](repeating: 0, count: 2 * info().pageSize)
        let count = pages.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count == pages.count else { throw LMDBError(code: count < 0 ? errno : EIO) }
        return pages
    }

    /// Puts back meta pages saved by `metaPages()` into the data file in
    /// `directory`, synced, before any process opens it: the file then
    /// describes that snapshot again, whatever unsynced commits after it
    /// left on disk (their pages become free space).
    public static func restoreMetaPages(_ pages: [UInt8], directory: String) throws {
        let fd = open(directory + "/data.mdb", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LMDBError(code: errno) }
        defer { close(fd) }
        var done = 0
        while done < pages.count {
            let count = pages.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw LMDBError(code: errno) }
            done += count
        }
        guard fsync(fd) == 0 else { throw LMDBError(code: errno) }
    }

}

extension Environment {
    /// Starts writing the data file's dirty pages to disk without waiting
    /// for them (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`): a later
    /// `sync()` then has less left to wait for.
    public func startWriteback() {
        var fd: Int32 = -1
        guard mdb_env_get_fd(handle, &fd) == 0, fd >= 0 else { return }
        _ = accord_start_writeback(fd)
    }
}
