import AccordCore
import Foundation
import LMDB
import Logging

extension EventStore {
    /// The size a new write-ahead segment is zero-filled to.
    static let segmentCapacity = 4 << 20

    /// The write-ahead segment's file name in the data directory.
    public static let segmentFileName = WriteAheadSegment.fileName

    /// Run before the data directory's LMDB file is opened by a process that
    /// will write to it. When the machine restarted while a writer had the
    /// directory open (a power loss, a kernel crash), unsynced commits may
    /// have reached the disk in part; this puts back the meta pages of the
    /// last sync point, whose snapshot the writer kept whole, so the file
    /// describes it again. The segment holds every commit after it, and
    /// opening the store replays them. Returns whether it restored.
    @discardableResult
    public static func recoverAfterRestart(directory: String, logger: Logger) throws -> Bool {
        guard var header = WriteAheadSegment.header(in: directory), !header.clean, header.bootID != SegmentHeader.currentBootID else {
            return false
        }
        try Environment.restoreMetaPages(header.metaPages, directory: directory)
        // Restored for this boot: opening again (before the replay's sync point) must not restore twice.
        header.bootID = SegmentHeader.currentBootID
        let (segment, _, _) = try WriteAheadSegment.open(directory: directory, capacity: segmentCapacity)
        try segment.writeHeader(header)
        logger.notice(
            "the machine restarted while the log was open: restored the data file to its last sync point; the write-ahead segment's commits after it are replayed",
            metadata: ["head": "\(header.head)"])
        return true
    }

    /// The segment a writable store commits through, with the records it
    /// holds; `nil` for a store whose LMDB syncs its own commits. Refuses a
    /// directory that needs `recoverAfterRestart` first, before any page of
    /// the LMDB file is read.
    static func openSegment(_ environment: Environment) throws -> (WriteAheadSegment, [SegmentRecord])? {
        let directory = environment.path
        if let header = WriteAheadSegment.header(in: directory), !header.clean {
            guard header.bootID == SegmentHeader.currentBootID else {
                throw EventStoreError.storage(
                    "the machine restarted while \(directory) was open for writing: start `accord serve` on it once to recover it")
            }
            guard environment.options.readOnly || environment.options.durability == .writeAhead else {
                throw EventStoreError.storage(
                    "\(directory) has commits in its write-ahead segment: start `accord serve` on it once to apply them")
            }
        }
        guard !environment.options.readOnly, environment.options.durability == .writeAhead else { return nil }
        let (segment, _, scan) = try WriteAheadSegment.open(directory: directory, capacity: segmentCapacity)
        return (segment, scan.records)
    }

    /// The commits the write-ahead segment in `directory` holds: a running
    /// server acknowledges appends before its data file has them (for a few
    /// milliseconds), so a hot copy of the data file applies these after.
    /// Read them before copying the data file: the copy then holds every
    /// commit before the first of them.
    public static func writeAheadCommits(in directory: String) throws -> WriteAheadCommits {
        WriteAheadCommits(records: try WriteAheadSegment.scan(directory: directory)?.records ?? [])
    }

    /// Writes the commits of `commits` that follow this log's head, as
    /// they were (projected through the hook, each leaf hash checked);
    /// returns how many events it wrote. For a backup's copy of the log.
    public func apply(_ commits: WriteAheadCommits) throws -> Int {
        try committer.withWriter { writer in try writer.replay(commits.records) }
    }
}

/// Commits read from a write-ahead segment (`EventStore.writeAheadCommits`).
public struct WriteAheadCommits: Sendable {
    let records: [SegmentRecord]

    /// How many events they hold.
    public var eventCount: Int { records.reduce(0) { $0 + $1.entries.count } }
}
