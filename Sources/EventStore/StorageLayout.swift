import AccordCore
import LMDB
import Merkle

/// The on-disk layout of the event log: the one place it is defined.
///
/// Named LMDB databases (all keys sort as bytes):
///
/// | database      | key                                   | value |
/// |---------------|---------------------------------------|-------|
/// | `meta`        | UTF-8 name                            | u64 BE, see below |
/// | `events`      | position, u64 big-endian              | event record (`EventRecord`) |
/// | `event_ids`   | event id, 16 raw UUID bytes           | position, u64 BE |
/// | `streams`     | stream name, UTF-8                    | `StreamInfo`: 0x01, last version and last position (LEB128), the hook's summary (0–255 bytes) |
/// | `stream_marks`| stream name ‖ 0x00 ‖ version u64 BE   | position, u64 BE, for every version divisible by 1024 |
/// | `merkle`      | storage index of the first, u64 BE    | the 32-byte SHA-256 hashes of consecutive complete subtrees |
///
/// `merkle` holds every complete subtree of the RFC 6962 tree over the log
/// (leaf i is the canonical JSON of the event at position i, see
/// `JSONWriter.writeEvent`), numbered by the order in which appending
/// completes them (`TreeShape.storageIndex`). Each commit stores the subtrees
/// its events complete as one entry at the end (`MerkleBatch`): entries are
/// contiguous, each keyed by its first subtree's number. A log of n events has
/// 2n − popcount(n) subtrees: about 64 bytes an event, written in the same
/// transaction as the events they cover.
///
/// A stream is a chain: each event record holds the position of the stream's
/// previous event, and `streams` holds the last. `stream_marks` bounds a walk
/// along the chain to `limit + 1023` steps. This keeps an append's index writes
/// to one small `streams` entry instead of a per-event index entry: with many
/// streams appended at once, per-event index entries land on as many distinct
/// pages, and every dirty page is written and synced at commit.
///
/// `meta` keys: `format` (the layout version, currently 4; version 1 had no
/// `merkle` database, version 2 wrote `streams` entries with fixed-width
/// integers, and version 3 had no write-ahead segment: each is upgraded on
/// first writable open; from 4 on, an older Accord, which would not replay
/// the segment, refuses the directory) and
/// `last_recorded_at` (µs since the epoch, so `recordedAt` never goes back),
/// and `hook_head` (the log length the append hook, the projections, has
/// processed; written in the same commits, on the same page), and
/// `rfc8785_from` (the first position canonicalized as RFC 8785 specifies,
/// ``EventStore/canonicalFormSince``).
///
/// Opening a directory whose `format` is newer than ``StorageLayout/formatVersion``
/// fails with `unsupportedFormat`; an empty directory is stamped with the current one.
/// Higher layers (projections) keep their own databases in the same environment.
struct StorageLayout: Sendable {
    static let formatVersion: UInt64 = 4
    /// The `meta` key of ``EventStore/canonicalFormSince``.
    static let canonicalFormKey = "rfc8785_from"
    /// The first format with the `merkle` database.
    static let treeFormat: UInt64 = 2

    let meta: Database<String, UInt64>
    let events: Database<UInt64, [UInt8]>
    let eventIds: Database<EventIDKey, UInt64>
    let streams: Database<String, StreamInfo>
    let streamMarks: Database<StreamIndexKey, UInt64>
    let merkle: Database<UInt64, [UInt8]>
    /// The format found on disk; 1 until `EventStore` has added the tree.
    let storedFormat: UInt64

    /// Versions divisible by this get a `stream_marks` entry.
    static let markInterval: StreamVersion = 1024

    /// Opens (and in a writable environment creates) the databases and checks the format.
    static func open(_ env: Environment) throws -> StorageLayout {
        if env.options.readOnly {
            return try env.read { txn in try open(txn, create: false) }
        }
        return try env.write { txn in try open(txn, create: true) }
    }

    private static func open(_ txn: borrowing Transaction, create: Bool) throws -> StorageLayout {
        func db<K, V>(_ name: String) throws -> Database<K, V> {
            guard let db = try Database<K, V>.open(name, in: txn, create: create) else {
                throw EventStoreError.corrupted("database \(name) is missing; is this an Accord data directory?")
            }
            return db
        }
        let meta: Database<String, UInt64> = try db("meta")
        let found = try txn.get(meta, "format")
        switch found {
        case let found? where found > formatVersion || found < 1:
            throw EventStoreError.unsupportedFormat(found: found, supported: formatVersion)
        case 1 where !create:
            throw EventStoreError.corrupted(
                "the data directory was written by an older Accord without a Merkle tree; start `accord serve` on it once to add the tree")
        case 2 where create, 3 where create:
            // Format 3 only writes `streams` entries compactly and reads both
            // layouts; format 4 adds the write-ahead segment beside the data
            // file, which `EventStore` creates. The upgrade is the stamp alone.
            try txn.put(meta, "format", formatVersion)
        case .some:
            break
        case nil:
            if create { try txn.put(meta, "format", formatVersion) }
        }
        let layout = try StorageLayout(
            meta: meta, events: db("events"), eventIds: db("event_ids"),
            streams: db("streams"), streamMarks: db("stream_marks"), merkle: db("merkle"),
            storedFormat: found ?? formatVersion)
        // Where the RFC 8785 form began: the head at the first writable open by a build that writes it.
        if create, try txn.get(meta, canonicalFormKey) == nil {
            try txn.put(meta, canonicalFormKey, try txn.last(layout.events).map { $0.0 + 1 } ?? 0)
        }
        return layout
    }
}
