import CLMDB
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open LMDB environment: one data directory, one memory map.
///
/// Invariants and limits:
/// - One `Environment` per data directory per process (an LMDB rule): opening
///   a directory that is already open in this process throws `alreadyOpen`.
/// - Transactions are closure-scoped and synchronous: ``read(_:)`` and ``write(_:)``
///   must never be held across an `await`. A write commits when its closure
///   returns and aborts when it throws.
/// - The map grows on demand: when a write fills it, the write is aborted, the map
///   is doubled (up to `Options.maxMapSize`) while no transaction is active in this
///   process, and the write closure runs again. Write closures must therefore not
///   leak side effects outside the transaction before they return. At the maximum,
///   writes throw ``LMDBError/storageFull(mapSize:)`` and reads keep working.
/// - Commits are synced to disk unless `Options.durability` says otherwise.
public final class Environment: Sendable {
    /// LMDB's environment handle: safe to use from any thread (with `MDB_NOTLS`).
    nonisolated(unsafe) let handle: OpaquePointer
    public let path: String
    public let options: Options
    /// Identifies this environment to the databases opened in it.
    let id: UInt64
    /// The canonical path registered in `openPaths`.
    private let canonicalPath: String
    /// Transactions hold this shared; remapping holds it exclusively.
    let remapLock = ReadWriteLock()
    /// Set when a put inside the current write transaction hit `MDB_MAP_FULL`,
    /// even if the caller swallowed that error.
    let writeHitMapFull = Atomic<Bool>(false)
    /// Writes attempted in write transactions so far (see `Transaction.writeCount`).
    let writes = Atomic<UInt64>(0)
    /// Bytes of values put in write transactions so far (see `Transaction.writtenBytes`).
    let putBytes = Atomic<UInt64>(0)

    private static let nextID = Atomic<UInt64>(1)
    /// Directories open in this process: LMDB forbids opening one twice (its
    /// locks are per process), as heed does.
    private static let openPaths = Mutex<Set<String>>([])

    /// Opens (creating if needed) the environment in the directory `path`.
    /// - Throws: `LMDBError.alreadyOpen` when this process has it open already.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        if !options.readOnly { mkdir(path, 0o750) }
        let canonical = Self.canonical(path)
        let registered = Self.openPaths.withLock { $0.insert(canonical).inserted }
        guard registered else { throw LMDBError.alreadyOpen(path) }
        var env: OpaquePointer?
        do {
            try LMDBError.check(mdb_env_create(&env))
            guard let env else { throw LMDBError.misuse("mdb_env_create returned no handle") }
            do {
                try LMDBError.check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)))
                try LMDBError.check(mdb_env_set_maxreaders(env, UInt32(options.maxReaders)))
                try LMDBError.check(mdb_env_set_mapsize(env, options.mapSize))
                try LMDBError.check(mdb_env_open(env, path, options.flags, 0o640))
            } catch {
                mdb_env_close(env)
                throw error
            }
        } catch {
            _ = Self.openPaths.withLock { $0.remove(canonical) }
            throw error
        }
        handle = env!
        canonicalPath = canonical
        id = Self.nextID.add(1, ordering: .relaxed).oldValue
    }

    deinit {
        mdb_env_close(handle)
        _ = Self.openPaths.withLock { $0.remove(canonicalPath) }
    }

    private static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Runs `body` in a read-only snapshot of the environment.
    public func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        while true {
            do {
                return try remapLock.withShared {
                    let txn = try Transaction.begin(in: self, parent: nil, readOnly: true)
                    let result: R
                    do {
                        result = try body(txn)
                    } catch {
                        mdb_txn_abort(txn.handle)
                        throw error
                    }
                    // Committing (not aborting) keeps database handles opened in
                    // this snapshot valid afterwards, as LMDB documents.
                    try LMDBError.check(mdb_txn_commit(txn.handle))
                    return result
                }
            } catch LMDBError.mapResized {
                try adoptMapSizeFromOtherProcess()
            }
        }
    }

    /// Runs `body` in a write transaction, committed with sync when it returns.
    ///
    /// The closure may run more than once when the map has to grow. Under
    /// `Durability.writeAhead` the commit is synced after it (`sync()`)
    /// unless `syncing` is false: only the write-ahead log's own writer,
    /// which made the transaction durable before it committed, passes that.
    public func write<R>(syncing: Bool = true, _ body: (borrowing Transaction) throws -> R) throws -> R {
        let result = try writeOnce(body)
        if syncing, options.durability == .writeAhead { try sync() }
        return result
    }

    private func writeOnce<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        precondition(!options.readOnly, "write transaction on a read-only environment")
        while true {
            do {
                return try remapLock.withShared {
                    let txn = try Transaction.begin(in: self, parent: nil, readOnly: false)
                    writeHitMapFull.store(false, ordering: .relaxed)
                    let result: R
                    do {
                        result = try body(txn)
                        if writeHitMapFull.load(ordering: .relaxed) { throw LMDBError.mapFull }
                    } catch {
                        mdb_txn_abort(txn.handle)
                        throw writeHitMapFull.load(ordering: .relaxed) ? LMDBError.mapFull : error
                    }
                    try LMDBError.check(mdb_txn_commit(txn.handle))
                    return result
                }
            } catch LMDBError.mapFull {
                try growMap()
            } catch LMDBError.mapResized {
                try adoptMapSizeFromOtherProcess()
            }
        }
    }

    /// Whether a write of the running write transaction met a full map, even
    /// one whose error a caller caught: the transaction is written again
    /// once the map has grown, so nothing it did may be acted on before.
    public var hitMapFull: Bool { writeHitMapFull.load(ordering: .relaxed) }

    /// The current size of the memory map in bytes.
    public var mapSize: Int { info().mapSize }

    /// Doubles the map, up to the configured maximum, while no transaction is active.
    private func growMap() throws {
        try remapLock.withExclusive { () throws(LMDBError) in
            let current = infoWhileMapped().mapSize
            guard current < options.maxMapSize else { throw .storageFull(mapSize: current) }
            let next = min(max(current * 2, current + options.pageAlignedGrowthFloor), options.maxMapSize)
            try LMDBError.check(mdb_env_set_mapsize(handle, next))
        }
    }

    private func adoptMapSizeFromOtherProcess() throws {
        try remapLock.withExclusive { () throws(LMDBError) in
            try LMDBError.check(mdb_env_set_mapsize(handle, 0))
        }
    }
}
