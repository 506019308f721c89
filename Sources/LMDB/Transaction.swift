import CLMDB

/// A live LMDB transaction, valid only inside the closure that received it.
///
/// Non-copyable and handed to closures `borrowing`, so it cannot be stored,
/// returned or captured by an escaping closure: it ends when the closure
/// that `Environment.read`/`write` (or `nested`) ran returns. It never
/// crosses an `await`: those closures are synchronous.
public struct Transaction: ~Copyable {
    let handle: OpaquePointer
    let environment: Environment
    /// Whether writes are rejected.
    public let isReadOnly: Bool

    static func begin(in env: Environment, parent: OpaquePointer?, readOnly: Bool) throws(LMDBError) -> Transaction {
        var txn: OpaquePointer?
        let flags = readOnly ? UInt32(MDB_RDONLY) : 0
        try LMDBError.check(mdb_txn_begin(env.handle, parent, flags, &txn))
        guard let txn else { throw .misuse("mdb_txn_begin returned no handle") }
        return Transaction(handle: txn, environment: env, isReadOnly: readOnly)
    }

    /// Runs `body` in a child transaction of this write transaction.
    ///
    /// The child's writes join this transaction when `body` returns and are
    /// discarded when it throws, so one request in a batch can fail without
    /// failing its neighbours. A full map is never contained: it aborts the
    /// whole outer transaction so the environment can grow and retry.
    public func nested<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        guard !isReadOnly else { throw LMDBError.readOnlyTransaction }
        let child = try Transaction.begin(in: environment, parent: handle, readOnly: false)
        let result: R
        do {
            result = try body(child)
        } catch {
            mdb_txn_abort(child.handle)
            throw error
        }
        try LMDBError.check(mdb_txn_commit(child.handle))
        return result
    }

    /// A count of the writes (puts, deletes, clears, database creations)
    /// attempted so far, for telling whether code that threw had written
    /// anything: compare it before and after. Write transactions only.
    public var writeCount: UInt64 { environment.writes.load(ordering: .relaxed) }

    /// Bytes of values put so far, as `writeCount` counts writes: with it,
    /// a bound on the pages a transaction may add to the data file.
    public var writtenBytes: UInt64 { environment.putBytes.load(ordering: .relaxed) }

    func checkWrite(_ rc: Int32, bytes: Int = 0) throws(LMDBError) {
        environment.writes.add(1, ordering: .relaxed)
        if bytes > 0 { environment.putBytes.add(UInt64(bytes), ordering: .relaxed) }
        if rc == MDB_MAP_FULL { environment.writeHitMapFull.store(true, ordering: .relaxed) }
        try LMDBError.check(rc)
    }

    /// Every database is opened in one environment; using it in another is a
    /// programming error that would read the wrong data, so it stops the process.
    func check<K, V>(_ db: Database<K, V>) {
        precondition(
            db.environmentID == environment.id,
            "database \(db.name) belongs to another LMDB environment than this transaction's (\(environment.path))")
    }
}
