import AccordCore
import LMDB

extension EventStore {
    static let canonicalFormKey = "rfc8785_from"

    /// The first position whose `data` and `metadata` were canonicalized as
    /// RFC 8785 (JCS) specifies: keys by UTF-16 code units, numbers as
    /// ECMAScript writes them. Events before it (written by Accord 0.1) keep
    /// the bytes they were stored with: stored bytes are never rewritten, so
    /// their hashes stay verifiable; only a client that recomputes canonical
    /// bytes from its own data needs to know which form applies
    /// (protocol/canonical-json.md). `nil` on a read-only open of a directory
    /// never opened for writing since.
    public var canonicalFormSince: Position? {
        try? environment.read { txn in try txn.get(log.layout.meta, Self.canonicalFormKey) }
    }

    /// Records, once, where the RFC 8785 form began: the head at the first
    /// writable open by a build that writes it (0 for a new log).
    static func stampCanonicalForm(_ environment: Environment, log: LogReader) throws {
        guard !environment.options.readOnly else { return }
        try environment.write { txn in
            guard try txn.get(log.layout.meta, canonicalFormKey) == nil else { return }
            try txn.put(log.layout.meta, canonicalFormKey, try log.head(in: txn))
        }
    }
}
