import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every failure the LMDB layer reports.
///
/// LMDB's C return codes are translated in exactly one place,
/// ``LMDBError/check(_:)``. A missing key is never an error: lookups return `nil`.
public enum LMDBError: Error, Equatable, Sendable {
    /// A put with "no overwrite" found the key already present.
    case keyExists
    /// The memory map is full and cannot grow further (see `Environment.Options.maxMapSize`).
    case storageFull(mapSize: Int)
    /// The file system has no space left for the data file.
    case diskFull
    /// All reader slots are in use (`Environment.Options.maxReaders`).
    case readersFull
    /// All named-database slots are in use (`Environment.Options.maxDatabases`).
    case databasesFull
    /// A transaction touched more dirty pages than LMDB allows in one commit.
    case transactionFull
    /// A database or page was damaged, or LMDB hit an unrecoverable error.
    case corrupted(String)
    /// The file was written by an incompatible LMDB build or uses different flags.
    case incompatible(String)
    /// A key or value was empty where not allowed or larger than LMDB accepts.
    case badValueSize
    /// A write was attempted inside a read-only transaction.
    case readOnlyTransaction
    /// A misuse of the API (bad handle, a transaction used after it ended).
    case misuse(String)
    /// An operating-system error such as a missing directory or denied permission.
    case system(errno: Int32, message: String)
    /// The directory is already open in this process (LMDB allows one
    /// environment per file per process).
    case alreadyOpen(String)

    /// Raised internally when the map is full; `Environment.write` grows the map
    /// and retries, so callers only ever see ``storageFull(mapSize:)``.
    case mapFull
    /// Raised internally when another process grew the map; the environment adopts
    /// the new size and retries.
    case mapResized

    /// Translates an LMDB return code; `MDB_SUCCESS` returns normally.
    /// `MDB_NOTFOUND` must be handled by the caller before this point.
    @usableFromInline
    static func check(_ rc: Int32) throws(LMDBError) {
        if rc == MDB_SUCCESS { return }
        throw LMDBError(code: rc)
    }

    init(code rc: Int32) {
        switch rc {
        case MDB_KEYEXIST: self = .keyExists
        case MDB_MAP_FULL: self = .mapFull
        case MDB_MAP_RESIZED: self = .mapResized
        case MDB_READERS_FULL: self = .readersFull
        case MDB_DBS_FULL: self = .databasesFull
        case MDB_TXN_FULL, MDB_CURSOR_FULL, MDB_PAGE_FULL: self = .transactionFull
        case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_PANIC: self = .corrupted(Self.describe(rc))
        case MDB_VERSION_MISMATCH, MDB_INVALID, MDB_INCOMPATIBLE: self = .incompatible(Self.describe(rc))
        case MDB_BAD_VALSIZE: self = .badValueSize
        case MDB_NOTFOUND, MDB_TLS_FULL, MDB_BAD_RSLOT, MDB_BAD_TXN, MDB_BAD_DBI:
            self = .misuse(Self.describe(rc))
        case ENOSPC: self = .diskFull
        default: self = .system(errno: rc, message: Self.describe(rc))
        }
    }

    static func describe(_ rc: Int32) -> String {
        String(cString: mdb_strerror(rc))
    }
}

extension LMDBError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .keyExists: "the key already exists"
        case .storageFull(let size): "storage is full: the map reached its maximum size of \(size) bytes"
        case .diskFull: "the disk holding the data directory is full"
        case .readersFull: "too many concurrent readers; raise maxReaders"
        case .databasesFull: "too many named databases; raise maxDatabases"
        case .transactionFull: "the transaction is too large for one commit"
        case .corrupted(let why): "the data file is damaged: \(why)"
        case .incompatible(let why): "the data file is incompatible: \(why)"
        case .badValueSize: "a key is empty or too long, or a value is too large"
        case .readOnlyTransaction: "cannot write in a read-only transaction"
        case .misuse(let why): "LMDB API misuse: \(why)"
        case .system(let code, let message): "system error \(code): \(message)"
        case .alreadyOpen(let path): "the data directory \(path) is already open in this process"
        case .mapFull: "the map is full"
        case .mapResized: "the map was resized by another process"
        }
    }
}
