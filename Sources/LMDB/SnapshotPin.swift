import CLMDB

/// Keeps the snapshot that was current when it began from being overwritten:
/// LMDB never reuses a page that a live reader's snapshot still references.
///
/// A read transaction that is never read through: it holds no pointer into
/// the map (so the map may be remapped while it lives) and ends when the pin
/// is dropped. For `Durability.writeAhead`: the last synced snapshot stays
/// whole on disk until the next sync, whatever the unsynced commits after it
/// wrote.
public struct SnapshotPin: ~Copyable {
    private let handle: OpaquePointer
    /// Kept so that the environment closes only after the pin ends.
    private let environment: Environment
    /// The transaction id of the pinned snapshot.
    public let transactionID: Int

    init(environment: Environment) throws(LMDBError) {
        var txn: OpaquePointer?
        // Beginning reads the meta pages through the map: never during a remap.
        try environment.remapLock.withShared { () throws(LMDBError) in
            try LMDBError.check(mdb_txn_begin(environment.handle, nil, UInt32(MDB_RDONLY), &txn))
        }
        guard let txn else { throw .misuse("mdb_txn_begin returned no handle") }
        handle = txn
        self.environment = environment
        transactionID = Int(mdb_txn_id(txn))
    }

    deinit { mdb_txn_abort(handle) }
}

extension Environment {
    /// Pins the current snapshot (see `SnapshotPin`).
    public func pinSnapshot() throws -> SnapshotPin {
        try SnapshotPin(environment: self)
    }
}
