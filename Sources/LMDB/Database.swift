import CLMDB

/// A named database inside an environment, with typed keys and values.
///
/// The handle stays valid for the life of the environment once the transaction
/// that opened it has committed (an LMDB rule); open each database once at start.
public struct Database<Key: LMDBCodable, Value: LMDBCodable>: Sendable {
    let dbi: MDB_dbi
    /// The database's name in the environment.
    public let name: String

    /// Opens `name`, creating it when `create` is set (write transactions only).
    /// Returns `nil` when it does not exist and was not to be created.
    public static func open(_ name: String, in txn: Transaction, create: Bool) throws -> Database? {
        var dbi: MDB_dbi = 0
        let flags = create ? UInt32(MDB_CREATE) : 0
        let rc = mdb_dbi_open(txn.handle, name, flags, &dbi)
        if rc == MDB_NOTFOUND { return nil }
        if create, !txn.isReadOnly { try txn.checkWrite(rc) } else { try LMDBError.check(rc) }
        return Database(dbi: dbi, name: name)
    }
}

extension Transaction {
    /// The value stored under `key`, or `nil`.
    public func get<K, V>(_ db: Database<K, V>, _ key: K) throws -> V? {
        guard let raw = try getRaw(db, key) else { return nil }
        return try V(lmdbBytes: raw)
    }

    /// The stored bytes under `key` without copying, valid until the transaction
    /// ends or writes again.
    public func getRaw<K, V>(_ db: Database<K, V>, _ key: K) throws -> UnsafeRawBufferPointer? {
        try key.withLMDBBytes { keyBytes in
            var k = MDB_val(bytes: keyBytes)
            var v = MDB_val()
            let rc = mdb_get(handle, db.dbi, &k, &v)
            if rc == MDB_NOTFOUND { return nil }
            try LMDBError.check(rc)
            return v.buffer
        }
    }

    /// Stores `value` under `key`.
    /// - Parameters:
    ///   - noOverwrite: throw `keyExists` instead of replacing a present key.
    ///   - append: the key sorts after every key present (LMDB's fast append path);
    ///     LMDB rejects it with `keyExists` otherwise.
    public func put<K, V>(_ db: Database<K, V>, _ key: K, _ value: V, noOverwrite: Bool = false, append: Bool = false) throws {
        guard !isReadOnly else { throw LMDBError.readOnlyTransaction }
        var flags: UInt32 = 0
        if noOverwrite { flags |= UInt32(MDB_NOOVERWRITE) }
        if append { flags |= UInt32(MDB_APPEND) }
        try key.withLMDBBytes { keyBytes in
            try value.withLMDBBytes { valueBytes in
                var k = MDB_val(bytes: keyBytes)
                var v = MDB_val(bytes: valueBytes)
                try checkWrite(mdb_put(handle, db.dbi, &k, &v, flags))
            }
        }
    }

    /// Removes `key`; returns whether it was present.
    @discardableResult
    public func delete<K, V>(_ db: Database<K, V>, _ key: K) throws -> Bool {
        guard !isReadOnly else { throw LMDBError.readOnlyTransaction }
        return try key.withLMDBBytes { keyBytes in
            var k = MDB_val(bytes: keyBytes)
            let rc = mdb_del(handle, db.dbi, &k, nil)
            if rc == MDB_NOTFOUND { return false }
            try checkWrite(rc)
            return true
        }
    }

    /// Removes every entry of `db`, keeping the database itself.
    public func clear<K, V>(_ db: Database<K, V>) throws {
        guard !isReadOnly else { throw LMDBError.readOnlyTransaction }
        try checkWrite(mdb_drop(handle, db.dbi, 0))
    }

    /// The number of entries in `db`.
    public func count<K, V>(_ db: Database<K, V>) throws -> Int {
        var stat = MDB_stat()
        try LMDBError.check(mdb_stat(handle, db.dbi, &stat))
        return stat.ms_entries
    }
}

extension MDB_val {
    init(bytes: UnsafeRawBufferPointer) {
        self.init(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
    }

    var buffer: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: mv_data, count: mv_size)
    }
}
