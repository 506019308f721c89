import CLMDB

/// A position in one database, for range scans in either direction.
///
/// Non-copyable and lent to the closure of `Transaction.withCursor`, so it
/// cannot outlive its transaction. Each move hands the entry it lands on to a
/// closure: the key and value bytes point into the map and are valid only
/// inside that closure. A move returns `nil` when there is no such entry.
public struct Cursor<Key: LMDBCodable, Value: LMDBCodable>: ~Copyable {
    /// One raw entry: key and value bytes in place in the map.
    public typealias Visit<R> = (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> R

    let handle: OpaquePointer

    /// The first entry.
    public func first<R>(_ body: Visit<R>) throws -> R? { try move(MDB_FIRST, body) }
    /// The last entry.
    public func last<R>(_ body: Visit<R>) throws -> R? { try move(MDB_LAST, body) }
    /// The entry after the current one.
    public func next<R>(_ body: Visit<R>) throws -> R? { try move(MDB_NEXT, body) }
    /// The entry before the current one.
    public func previous<R>(_ body: Visit<R>) throws -> R? { try move(MDB_PREV, body) }

    /// The first entry whose key is `key` or sorts after it.
    public func seek<R>(atLeast key: Key, _ body: Visit<R>) throws -> R? {
        guard try position(atLeast: key) else { return nil }
        return try move(MDB_GET_CURRENT, body)
    }

    /// The last entry whose key is `key` or sorts before it.
    public func seek<R>(atMost key: Key, _ body: Visit<R>) throws -> R? {
        guard try position(atLeast: key) else { return try last(body) }
        let exact = try move(MDB_GET_CURRENT) { found, _ in key.withLMDBBytes { $0.elementsEqual(found) } } ?? false
        return try exact ? move(MDB_GET_CURRENT, body) : previous(body)
    }

    /// Moves to the first key at or after `key`; `false` when there is none.
    private func position(atLeast key: Key) throws -> Bool {
        try key.withLMDBBytes { bytes in
            var k = MDB_val(bytes: bytes)
            var v = MDB_val()
            let rc = mdb_cursor_get(handle, &k, &v, MDB_SET_RANGE)
            if rc == MDB_NOTFOUND { return false }
            try LMDBError.check(rc)
            return true
        }
    }

    private func move<R>(_ op: MDB_cursor_op, _ body: Visit<R>) throws -> R? {
        var k = MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc)
        return try body(k.buffer, v.buffer)
    }
}

extension Transaction {
    /// Opens a cursor on `db` for the duration of `body`.
    public func withCursor<K, V, R>(_ db: Database<K, V>, _ body: (borrowing Cursor<K, V>) throws -> R) throws -> R {
        check(db)
        var cursor: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(handle, db.dbi, &cursor))
        guard let cursor else { throw LMDBError.misuse("mdb_cursor_open returned no handle") }
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(handle: cursor))
    }

    /// Visits raw entries from `start` (inclusive; `nil` for the first or last key)
    /// in `direction` until `body` returns `false` or the database ends. The
    /// bytes are valid only during each call of `body`.
    public func scanRaw<K, V>(
        _ db: Database<K, V>, from start: K? = nil, direction: ScanDirection = .forward,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try withCursor(db) { cursor in
            var more: Bool?
            switch (direction, start) {
            case (.forward, nil): more = try cursor.first(body)
            case (.forward, let key?): more = try cursor.seek(atLeast: key, body)
            case (.backward, nil): more = try cursor.last(body)
            case (.backward, let key?): more = try cursor.seek(atMost: key, body)
            }
            while more == true {
                more = direction == .forward ? try cursor.next(body) : try cursor.previous(body)
            }
        }
    }

    /// Visits decoded entries like `scanRaw`.
    public func scan<K, V>(
        _ db: Database<K, V>, from start: K? = nil, direction: ScanDirection = .forward,
        _ body: (K, V) throws -> Bool
    ) throws {
        try scanRaw(db, from: start, direction: direction) { key, value in
            try body(K(lmdbBytes: key), V(lmdbBytes: value))
        }
    }

    /// The entry with the greatest key, or `nil` for an empty database.
    public func last<K, V>(_ db: Database<K, V>) throws -> (K, V)? {
        try withCursor(db) { cursor in
            try cursor.last { key, value in (try K(lmdbBytes: key), try V(lmdbBytes: value)) }
        }
    }
}
