import CLMDB

/// A live LMDB transaction, valid only inside the closure that received it.
///
/// Obtain one from `Environment.read` or `Environment.write`; never store it.
/// Buffers returned by raw lookups point into the memory map and are valid only
/// until the transaction ends or the next write in it.
public struct Transaction {
    let handle: OpaquePointer
    let environment: Environment
    /// Whether writes are rejected.
    public let isReadOnly: Bool

    static func begin(in env: Environment, parent: Transaction?, readOnly: Bool) throws(LMDBError) -> Transaction {
        var txn: OpaquePointer?
        let flags = readOnly ? UInt32(MDB_RDONLY) : 0
        try LMDBError.check(mdb_txn_begin(env.handle, parent?.handle, flags, &txn))
        guard let txn else { throw .misuse("mdb_txn_begin returned no handle") }
        return Transaction(handle: txn, environment: env, isReadOnly: readOnly)
    }

    /// Runs `body` in a child transaction of this write transaction.
    ///
    /// The child's writes join this transaction when `body` returns and are
    /// discarded when it throws, so one request in a batch can fail without
    /// failing its neighbours. A full map is never contained: it aborts the
    /// whole outer transaction so the environment can grow and retry.
    public func nested<R>(_ body: (Transaction) throws -> R) throws -> R {
        guard !isReadOnly else { throw LMDBError.readOnlyTransaction }
        let child = try Transaction.begin(in: environment, parent: self, readOnly: false)
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
    public var writeCount: UInt64 { environment.writes }

    func checkWrite(_ rc: Int32) throws(LMDBError) {
        environment.writes &+= 1
        if rc == MDB_MAP_FULL { environment.writeHitMapFull = true }
        try LMDBError.check(rc)
    }
}
