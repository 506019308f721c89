import AccordCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The write-ahead segment: a commit's records, written and made durable
/// with one direct, synchronous write (or one `pwrite` and one `fdatasync`
/// where the file system refuses direct I/O: `SegmentFile`), before LMDB
/// holds them.
///
/// The file is zero-filled to its capacity when created, so a commit
/// overwrites blocks the file system already allocated: the sync flushes
/// the record and nothing else (no size change, no journal commit). The
/// file opens with a `SegmentHeader` (its own 64 KiB region); records
/// follow one another after it. At each sync point, once LMDB has durably
/// applied every record, the writer starts a new cycle: a new header, and
/// the next record at the start of the region again (`SegmentScan` tells
/// the new cycle from the old by positions). Used only by the holder of the
/// writer role.
///
/// A failed durable write leaves the segment unusable until the process
/// restarts: after a failed sync the kernel may have dropped the dirty
/// pages, and a later sync that succeeds proves nothing about them.
final class WriteAheadSegment {
    static let fileName = "accord.wal"
    var path: String { file.path }
    private let file: SegmentFile
    private(set) var capacity: Int
    /// Where the next record goes.
    private(set) var writeOffset: Int
    /// Records written since the last recycle, from `first` to `end`.
    private(set) var pending: Range<Position>?
    private var failure: EventStoreError?
    private var scratch: [UInt8] = []

    /// Where records begin.
    static let recordsStart = SegmentHeader.regionSize

    /// The header of the segment in `directory`, without opening it for
    /// writing; `nil` when there is no segment or no whole header.
    static func header(in directory: String) -> SegmentHeader? {
        let fd = Glibc.open(directory + "/" + fileName, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: recordsStart)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return bytes[..<count].withUnsafeBytes { SegmentHeader($0) }
    }

    /// Opens the segment in `directory`, creating it zero-filled to
    /// `capacity` bytes; returns it with what it holds.
    static func open(directory: String, capacity: Int) throws -> (WriteAheadSegment, SegmentHeader?, SegmentScan) {
        let path = directory + "/" + fileName
        let created = access(path, F_OK) != 0
        let file = try SegmentFile(path: path)
        var size = Int(lseek(file.fd, 0, SEEK_END))
        let (header, scan) = try read(file.fd, size: size, path: path)
        let wanted = max(capacity, recordsStart + (1 << 20))
        if size < wanted {
            try file.zeroFill(from: size, to: wanted)
            size = wanted
        }
        if created { PrivateFile.syncDirectory(of: path) }
        let segment = WriteAheadSegment(file: file, capacity: size, writeOffset: recordsStart + scan.validEnd)
        segment.pending = scan.records.first.map { $0.first..<scan.records[scan.records.count - 1].end }
        return (segment, header, scan)
    }

    /// What the segment in `directory` holds, read without opening it for
    /// writing (a server may be appending to it: a record it is writing
    /// ends the scan); `nil` when there is none.
    static func scan(directory: String) throws -> SegmentScan? {
        let path = directory + "/" + fileName
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            guard errno == ENOENT else { throw SegmentFile.error("cannot open", path) }
            return nil
        }
        defer { close(fd) }
        return try read(fd, size: Int(lseek(fd, 0, SEEK_END)), path: path).1
    }

    private static func read(_ fd: Int32, size: Int, path: String) throws -> (SegmentHeader?, SegmentScan) {
        var bytes = [UInt8](repeating: 0, count: size)
        guard bytes.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, $0.count, 0) }) == size else {
            throw SegmentFile.error("cannot read", path)
        }
        return bytes.withUnsafeBytes { raw in
            let header = SegmentHeader(raw)
            return (header, SegmentScan(UnsafeRawBufferPointer(rebasing: raw[min(raw.count, recordsStart)...]), start: header?.head))
        }
    }

    private init(file: SegmentFile, capacity: Int, writeOffset: Int) {
        self.file = file
        self.capacity = capacity
        self.writeOffset = writeOffset
    }

    /// Writes `record` after the last and syncs it: once this returns, the
    /// record survives a crash or a power loss.
    /// - Throws: `EventStoreError.storageFull` when the segment must grow and
    ///   the disk is full (nothing was acknowledged; the next record reuses
    ///   the space); `.storage` for any other failure, after which every
    ///   append fails until the process restarts.
    func append(_ record: SegmentRecord) throws {
        try append(first: record.first, end: record.end) { builder, out in record.addEntries(to: &builder, &out) }
    }

    /// Appends the record of positions `first ..< end` that `fill` builds
    /// entry by entry into the segment's buffer (each stored record copied
    /// once), then syncs it, as `append(_:)` does.
    func append(
        first: Position, end: Position, _ fill: (inout SegmentRecord.Builder, inout [UInt8]) throws -> Void
    ) throws {
        if let failure { throw failure }
        if let pending, pending.upperBound != first {
            throw EventStoreError.corrupted("a segment record at \(first) does not follow the last at \(pending.upperBound)")
        }
        scratch.removeAll(keepingCapacity: true)
        var builder = SegmentRecord.Builder(first: first, into: &scratch)
        try fill(&builder, &scratch)
        guard builder.count == Int(end - first) else {
            throw EventStoreError.corrupted("the commit at \(first) wrote \(builder.count) records, not \(end - first)")
        }
        builder.finish(&scratch)
        if writeOffset + scratch.count > capacity {
            let grown = max(capacity * 2, writeOffset + scratch.count)
            try file.zeroFill(from: capacity, to: grown)
            capacity = grown
        }
        try writeDurably(scratch, at: writeOffset)
        writeOffset += scratch.count
        pending = (pending?.lowerBound ?? first)..<end
    }

    /// Starts a new cycle: writes `header` and syncs it, then the next
    /// record goes to the start of the records again. Call only once LMDB
    /// has durably applied every record written so far (`header` says so).
    func startCycle(_ header: SegmentHeader) throws {
        try writeHeader(header)
        writeOffset = Self.recordsStart
        pending = nil
    }

    /// Writes `header` and syncs it, keeping the records.
    func writeHeader(_ header: SegmentHeader) throws {
        if let failure { throw failure }
        let bytes = header.encode()
        precondition(bytes.count <= Self.recordsStart, "a segment header larger than its region")
        try writeDurably(bytes, at: 0)
    }

    /// The records written between two marks' offsets, the first of which
    /// begins at position `first`: read back to write a window again.
    func records(from start: Int, to end: Int, first: Position) throws -> [SegmentRecord] {
        var bytes = [UInt8](repeating: 0, count: end - start)
        let count = bytes.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress, $0.count, off_t(start)) }
        let scan = bytes.withUnsafeBytes { SegmentScan($0, start: first) }
        guard count == bytes.count, scan.validEnd == bytes.count else {
            throw EventStoreError.corrupted("the write-ahead segment does not read back the records it acknowledged at \(first)")
        }
        return scan.records
    }

    /// Where the segment stands, to go back to (`rewind`).
    var mark: Mark { Mark(offset: writeOffset, pending: pending) }

    /// A place in the segment: where the next record goes, and the positions its records since the header hold.
    struct Mark: Equatable {
        let offset: Int
        let pending: Range<Position>?
    }

    /// Erases the records written after `mark` (their commit did not reach
    /// LMDB and none was acknowledged): the header of the first is zeroed,
    /// durably, so a crash before the retry cannot bring them back.
    func rewind(to mark: Mark) throws {
        guard writeOffset != mark.offset else { return }
        (writeOffset, pending) = (mark.offset, mark.pending)
        try writeDurably([UInt8](repeating: 0, count: SegmentRecord.headerSize), at: mark.offset)
    }

    /// A durable write; a failure latches (`failure`): the kernel may have
    /// dropped the pages it could not write, so no later sync proves them.
    private func writeDurably(_ bytes: [UInt8], at offset: Int) throws {
        if let failure { throw failure }
        do {
            try file.writeDurably(bytes, at: offset)
        } catch {
            failure = error
            throw error
        }
    }

}
