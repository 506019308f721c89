import AccordCore
import CommandSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `DIR/accord.lock`, held by the one process that
/// writes a data directory (`serve`, `rebuild`, `restore`).
///
/// LMDB itself allows writers from several processes; Accord does not,
/// because projections are rebuilt and checkpoints signed by a single owner.
final class DataDirectoryLock {
    private let fd: Int32

    /// - Parameter create: make the directory when missing (`serve`,
    ///   `restore`); commands that work on an existing log never create one.
    init(directory: String, create: Bool) throws {
        if create {
            try PrivateFile.createDirectory(directory, mode: 0o750)
        } else {
            try DataDirectoryOptions.requireExisting(directory)
        }
        let path = directory + "/accord.lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0, fchmod(fd, 0o640) == 0 else { throw CommandError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CommandError("\(directory) is in use by another accord process (a running server?); stop it first")
        }
    }

    /// The lock when no server holds the directory, else `nil` (reading a key
    /// beside a running server is fine; only creating one needs the lock).
    static func ifFree(directory: String, create: Bool) -> DataDirectoryLock? {
        try? DataDirectoryLock(directory: directory, create: create)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
