import CLMDB

/// A position in one database, for range scans in either direction.
///
/// Valid only inside the closure passed to `Transaction.withCursor`. The
/// buffers it returns point into the map and live until the transaction ends.
public struct Cursor<Key: LMDBCodable, Value: LMDBCodable> {
    /// One raw entry: key and value bytes inside the memory map.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let handle: OpaquePointer

    /// The first entry.
    public func first() throws -> Entry? { try move(MDB_FIRST) }
    /// The last entry.
    public func last() throws -> Entry? { try move(MDB_LAST) }
    /// The entry after the current one.
    public func next() throws -> Entry? { try move(MDB_NEXT) }
    /// The entry before the current one.
    public func previous() throws -> Entry? { try move(MDB_PREV) }

    /// The first entry whose key is `key` or sorts after it.
    public func seek(atLeast key: Key) throws -> Entry? {
        try key.withLMDBBytes { bytes in
            var k = MDB_val(bytes: bytes)
            var v = MDB_val()
            return try entry(mdb_cursor_get(handle, &k, &v, MDB_SET_RANGE), k, v)
        }
    }

    /// The last entry whose key is `key` or sorts before it.
    public func seek(atMost key: Key) throws -> Entry? {
        guard let found = try seek(atLeast: key) else { return try last() }
        let exact = key.withLMDBBytes { $0.elementsEqual(found.key) }
        return exact ? found : try previous()
    }

    private func move(_ op: MDB_cursor_op) throws -> Entry? {
        var k = MDB_val()
        var v = MDB_val()
        return try entry(mdb_cursor_get(handle, &k, &v, op), k, v)
    }

    private func entry(_ rc: Int32, _ k: MDB_val, _ v: MDB_val) throws -> Entry? {
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc)
        return (k.buffer, v.buffer)
    }
}

/// Which way a scan walks the keys.
public enum ScanDirection: Sendable {
    case forward
    case backward
}

extension Transaction {
    /// Opens a cursor on `db` for the duration of `body`.
    public func withCursor<K, V, R>(_ db: Database<K, V>, _ body: (Cursor<K, V>) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(handle, db.dbi, &cursor))
        guard let cursor else { throw LMDBError.misuse("mdb_cursor_open returned no handle") }
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(handle: cursor))
    }

    /// Visits raw entries from `start` (inclusive; `nil` for the first or last key)
    /// in `direction` until `body` returns `false` or the database ends.
    public func scanRaw<K, V>(
        _ db: Database<K, V>, from start: K? = nil, direction: ScanDirection = .forward,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try withCursor(db) { cursor in
            var entry: Cursor<K, V>.Entry?
            switch (direction, start) {
            case (.forward, nil): entry = try cursor.first()
            case (.forward, let key?): entry = try cursor.seek(atLeast: key)
            case (.backward, nil): entry = try cursor.last()
            case (.backward, let key?): entry = try cursor.seek(atMost: key)
            }
            while let current = entry, try body(current.key, current.value) {
                entry = direction == .forward ? try cursor.next() : try cursor.previous()
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
            guard let entry = try cursor.last() else { return nil }
            return (try K(lmdbBytes: entry.key), try V(lmdbBytes: entry.value))
        }
    }
}
