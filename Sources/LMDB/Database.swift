import CLMDB

/// A named database inside an environment, with typed keys and values.
///
/// The handle stays valid for the life of the environment once the transaction
/// that opened it has committed (an LMDB rule); open each database once at start.
/// A database belongs to the environment it was opened in: using it in a
/// transaction of another environment stops the process (`Transaction.check`).
public struct Database<Key: LMDBCodable, Value: LMDBCodable>: Sendable {
    let dbi: MDB_dbi
    let environmentID: UInt64
    /// The database's name in the environment.
    public let name: String

    /// Opens `name`, creating it when `create` is set (write transactions only).
    /// Returns `nil` when it does not exist and was not to be created.
    public static func open(_ name: String, in txn: borrowing Transaction, create: Bool) throws -> Database? {
        var dbi: MDB_dbi = 0
        let flags = create ? UInt32(MDB_CREATE) : 0
        let rc = mdb_dbi_open(txn.handle, name, flags, &dbi)
        if rc == MDB_NOTFOUND { return nil }
        if create, !txn.isReadOnly { try txn.checkWrite(rc) } else { try LMDBError.check(rc) }
        return Database(dbi: dbi, environmentID: txn.environment.id, name: name)
    }
}

extension Transaction {
    /// The value stored under `key`, decoded (a copy), or `nil`.
    public func get<K, V>(_ db: Database<K, V>, _ key: K) throws -> V? {
        try withValue(db, key) { try V(lmdbBytes: $0) }
    }

    /// Whether `key` is present.
    public func contains<K, V>(_ db: Database<K, V>, _ key: K) throws -> Bool {
        try withValue(db, key) { _ in true } ?? false
    }

    /// Calls `body` with the stored bytes under `key`, in place in the map;
    /// `nil` when absent. The bytes are valid only inside `body`.
    public func withValue<K, V, R>(_ db: Database<K, V>, _ key: K, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        check(db)
        let found: UnsafeRawBufferPointer? = try key.withLMDBBytes { keyBytes in
            var k = MDB_val(bytes: keyBytes)
            var v = MDB_val()
            let rc = mdb_get(handle, db.dbi, &k, &v)
            if rc == MDB_NOTFOUND { return nil }
            try LMDBError.check(rc)
            return v.buffer
        }
        guard let found else { return nil }
        return try body(found)
    }

    /// Stores `value` under `key`.
    /// - Parameters:
    ///   - noOverwrite: throw `keyExists` instead of replacing a present key.
    ///   - append: the key sorts after every key present (LMDB's fast append path);
    ///     LMDB rejects it with `keyExists` otherwise.
    public func put<K, V>(_ db: Database<K, V>, _ key: K, _ value: V, noOverwrite: Bool = false, append: Bool = false) throws {
        check(db)
        guard !isReadOnly else { throw LMDBError.readOnlyTransaction }
        var flags: UInt32 = 0
        if noOverwrite { flags |= UInt32(MDB_NOOVERWRITE) }
        if append { flags |= UInt32(MDB_APPEND) }
        try key.withLMDBBytes { keyBytes in
            try value.withLMDBBytes { valueBytes in
                var k = MDB_val(bytes: keyBytes)
                var v = MDB_val(bytes: valueBytes)
                try checkWrite(mdb_put(handle, db.dbi, &k, &v, flags), bytes: valueBytes.count)
            }
        }
    }

    /// Stores `value`'s bytes as they are under `key`, without making a value
    /// of the database's type first (a record copied from another log).
    public func put<K, V>(_ db: Database<K, V>, _ key: K, bytes value: UnsafeRawBufferPointer, append: Bool = false) throws {
        check(db)
        guard !isReadOnly else { throw LMDBError.readOnlyTransaction }
        try key.withLMDBBytes { keyBytes in
            var k = MDB_val(bytes: keyBytes)
            var v = MDB_val(bytes: value)
            try checkWrite(mdb_put(handle, db.dbi, &k, &v, append ? UInt32(MDB_APPEND) : 0), bytes: value.count)
        }
    }

    /// Removes `key`; returns whether it was present.
    @discardableResult
    public func delete<K, V>(_ db: Database<K, V>, _ key: K) throws -> Bool {
        check(db)
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
        check(db)
        guard !isReadOnly else { throw LMDBError.readOnlyTransaction }
        try checkWrite(mdb_drop(handle, db.dbi, 0))
    }

    /// The number of entries in `db`.
    public func count<K, V>(_ db: Database<K, V>) throws -> Int {
        check(db)
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
