import AccordCore
import LMDB

extension EventStore {
    /// The first position whose `data` and `metadata` were canonicalized as
    /// RFC 8785 (JCS) specifies: keys by UTF-16 code units, numbers as
    /// ECMAScript writes them. Events before it (written by Accord 0.1) keep
    /// the bytes they were stored with: stored bytes are never rewritten, so
    /// their hashes stay verifiable; only a client that recomputes canonical
    /// bytes from its own data needs to know which form applies
    /// (protocol/canonical-json.md). Recorded by `StorageLayout.open` on the
    /// first writable open; `nil` on a read-only open of a directory never
    /// opened for writing since.
    public var canonicalFormSince: Position? {
        try? environment.read { txn in try txn.get(log.layout.meta, StorageLayout.canonicalFormKey) }
    }
}
