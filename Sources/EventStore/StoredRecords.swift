import AccordCore
import AccordJSON
import Foundation
import Merkle

/// Consecutive events as a log stores them (`EventRecord`, format 1), each
/// framed by its length: what `read_records` carries from a primary to a
/// replica, so a bulk copy writes the primary's bytes instead of decoding
/// each event and encoding it again.
///
/// A frame is a `u32` big-endian length, then the record. The bytes are
/// checked only when copied (`EventStore.copy(_:)`), where every record must
/// parse, continue the log and its stream, and hashes into the copy's
/// Merkle tree exactly as stored.
public struct StoredRecords: Sendable {
    /// The record format the frames hold; a reader refuses any other.
    public static let format = Int(EventRecord.format)

    /// The frames, back to back.
    public var framed: [UInt8]

    public init(framed: [UInt8]) {
        self.framed = framed
    }

    /// Visits each record in place, in order; throws on a frame or record that does not parse.
    public func forEachRecord(_ body: (borrowing RecordView) throws -> Void) throws {
        try framed.withUnsafeBytes { raw in
            try Self.forEachFrame(in: raw) { range in try body(RecordView(UnsafeRawBufferPointer(rebasing: raw[range]))) }
        }
    }

    /// Calls `body` with where each frame's record lies in `raw`; throws on a truncated frame.
    static func forEachFrame(in raw: UnsafeRawBufferPointer, _ body: (Range<Int>) throws -> Void) throws {
        var offset = 0
        while offset < raw.count {
            guard offset + 4 <= raw.count else { throw EventStoreError.invalidRequest("a stored record's frame is truncated") }
            let start = offset + 4
            let end = start + Int(UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            guard end <= raw.count else { throw EventStoreError.invalidRequest("a stored record is longer than its page") }
            try body(start..<end)
            offset = end
        }
    }

    mutating func append(_ record: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt32(record.count).bigEndian) { framed.append(contentsOf: $0) }
        framed.append(contentsOf: record)
    }
}

/// Stored records checked and hashed on the copying task
/// (`EventStore.prepareCopy`), ready for the writer: where each lies in the
/// frames, what its stream's bookkeeping needs, and its finished leaf hash
/// (a copy's records carry their own commit times, so nothing is left for
/// the commit to decide).
public struct StoredCopy: Sendable {
    struct Entry: Sendable {
        var range: Range<Int>
        var position: Position
        var version: StreamVersion
        var stream: StreamName
        var eventId: UUID
        var previousInStream: Position?
        var recordedAt: Timestamp
    }

    var bytes: [UInt8]
    var entries: [Entry] = []
    /// Each record's RFC 6962 leaf hash over its canonical JSON; empty without a tree.
    var leaves: [TreeHash] = []

    /// How many records it holds.
    public var count: Int { entries.count }
    /// The position of its first record, if any.
    public var first: Position? { entries.first?.position }

    /// Visits each record in place, in order (a replica folds a page as it copies it).
    public func forEachRecord(_ body: (borrowing RecordView) throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            for entry in entries { try body(RecordView(UnsafeRawBufferPointer(rebasing: raw[entry.range]))) }
        }
    }

    /// Parses every frame; refuses a truncated frame, a record that does not
    /// parse, a position out of sequence, or a stream name the log would refuse.
    init(_ records: StoredRecords, hashing: Bool) throws {
        bytes = records.framed
        var writer = JSONWriter(capacity: 2_048)
        var entries: [Entry] = []
        var leaves: [TreeHash] = []
        try bytes.withUnsafeBytes { raw in
            try StoredRecords.forEachFrame(in: raw) { range in
                let view = try RecordView(UnsafeRawBufferPointer(rebasing: raw[range]))
                if let last = entries.last, view.position != last.position + 1 {
                    throw EventStoreError.invalidRequest("copied records skip from position \(last.position) to \(view.position)")
                }
                let stream: StreamName
                do { stream = try StreamName(view.streamName) } catch {
                    throw EventStoreError.invalidRequest("the record at position \(view.position) names an invalid stream: \(error)")
                }
                entries.append(
                    Entry(
                        range: range, position: view.position, version: view.version, stream: stream, eventId: view.eventId,
                        previousInStream: view.previousInStream, recordedAt: view.recordedAt))
                if hashing { leaves.append(view.leafHash(using: &writer)) }
            }
        }
        self.entries = entries
        self.leaves = leaves
    }
}
