import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open LMDB environment: one data directory, one memory map.
///
/// Invariants and limits:
/// - Open one `Environment` per data directory per process (an LMDB rule).
/// - Transactions are closure-scoped and synchronous: ``read(_:)`` and ``write(_:)``
///   must never be held across an `await`. A write commits when its closure
///   returns and aborts when it throws.
/// - The map grows on demand: when a write fills it, the write is aborted, the map
///   is doubled (up to `Options.maxMapSize`) while no transaction is active in this
///   process, and the write closure runs again. Write closures must therefore not
///   leak side effects outside the transaction before they return. At the maximum,
///   writes throw ``LMDBError/storageFull(mapSize:)`` and reads keep working.
/// - Commits are synced to disk unless `Options.durability` says otherwise.
public final class Environment: @unchecked Sendable {
    let handle: OpaquePointer
    public let path: String
    public let options: Options
    /// Transactions hold this shared; remapping holds it exclusively.
    let remapLock = ReadWriteLock()
    /// Set when a put inside the current write transaction hit `MDB_MAP_FULL`,
    /// even if the caller swallowed that error. Touched only under LMDB's writer lock.
    var writeHitMapFull = false
    /// Writes attempted in write transactions so far (see `Transaction.writeCount`).
    /// Touched only under LMDB's writer lock.
    var writes: UInt64 = 0

    /// Opens (creating if needed) the environment in the directory `path`.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        if !options.readOnly { mkdir(path, 0o750) }
        var env: OpaquePointer?
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
        handle = env
    }

    deinit {
        mdb_env_close(handle)
    }

    /// Runs `body` in a read-only snapshot of the environment.
    public func read<R>(_ body: (Transaction) throws -> R) throws -> R {
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
    /// The closure may run more than once when the map has to grow.
    public func write<R>(_ body: (Transaction) throws -> R) throws -> R {
        precondition(!options.readOnly, "write transaction on a read-only environment")
        while true {
            do {
                return try remapLock.withShared {
                    let txn = try Transaction.begin(in: self, parent: nil, readOnly: false)
                    writeHitMapFull = false
                    let result: R
                    do {
                        result = try body(txn)
                        if writeHitMapFull { throw LMDBError.mapFull }
                    } catch {
                        mdb_txn_abort(txn.handle)
                        throw writeHitMapFull ? LMDBError.mapFull : error
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

    /// The current size of the memory map in bytes.
    public var mapSize: Int { info().mapSize }

    /// Doubles the map, up to the configured maximum, while no transaction is active.
    private func growMap() throws {
        try remapLock.withExclusive { () throws(LMDBError) in
            let current = info().mapSize
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
