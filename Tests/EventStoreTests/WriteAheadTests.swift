import AccordCore
import AccordTesting
import Foundation
import LMDB
import Logging
import Testing

@testable import EventStore

/// A commit is durable once its segment record is synced: a crash or a power
/// loss at any point keeps every acknowledged append, and a record torn by
/// one is cut, never read.
@Suite struct WriteAheadTests {
    let fixture = Fixture()

    static func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    static func store(at path: String) throws -> EventStore {
        try EventStore(environment: Environment(path: path), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// A store whose sync points come only when the test asks.
    func store() throws -> EventStore {
        let store = try fixture.store()
        store.committer.withWriter { $0.syncPointNanoseconds = .max }
        return store
    }

    /// The files as they are now, into a new directory: what `kill -9` leaves
    /// (the page cache keeps every write the process made).
    func crashImage() throws -> TemporaryDirectory {
        let image = TemporaryDirectory("crash")
        for name in ["data.mdb", WriteAheadSegment.fileName] {
            try Self.write(Self.bytes(fixture.dir.child(name)), image.child(name))
        }
        return image
    }

    @Test func aKilledProcessKeepsEveryAcknowledgedAppend() async throws {
        let store = try store()
        for i in 0..<30 { try await store.append(to: stream("S\(i % 4)"), events: [event()]) }
        let image = try crashImage()
        #expect(WriteAheadSegment.header(in: image.path)?.clean == false)
        let reopened = try Self.store(at: image.path)
        #expect(try reopened.readAll(limit: 100) == store.readAll(limit: 100))
        #expect(try reopened.treeHead() == store.treeHead())
        try await reopened.append(to: stream("S0"), expected: .exact(7), events: [event()])
    }

    /// The worst a power loss can leave: the data file as of the last sync
    /// point, except that the newest meta pages reached the disk without the
    /// pages they name, and a segment whose last record is cut at `cut`.
    /// Returns the events recovery must yield.
    func powerLoss(
        cuttingLastRecordAt cut: ((Range<Int>) -> [Int])? = nil
    ) async throws -> [(image: TemporaryDirectory, expected: [RecordedEvent])] {
        let store = try store()
        for i in 0..<6 { try await store.append(to: stream("S\(i % 2)"), events: [event("Noted", ["i": .integer(Int64(i))])]) }
        try store.committer.withWriter { try $0.syncPoint(clean: false) }
        let synced = try Self.bytes(fixture.dir.child("data.mdb"))
        for i in 6..<12 { try await store.append(to: stream("S\(i % 3)"), events: [event("Noted", ["i": .integer(Int64(i))])]) }
        let acknowledged = try store.readAll(limit: 100)
        var data = try Self.bytes(fixture.dir.child("data.mdb"))
        let metaBytes = 2 * store.environment.info().pageSize
        data = Array(data[..<metaBytes]) + synced[metaBytes...]
        var segment = try Self.bytes(fixture.dir.child(WriteAheadSegment.fileName))
        var header = try #require(segment.withUnsafeBytes { SegmentHeader($0) })
        header.bootID = UUID()
        segment.replaceSubrange(0..<header.encode().count, with: header.encode())
        let records = segment[WriteAheadSegment.recordsStart...].withUnsafeBytes { SegmentScan($0) }.records
        #expect(records.map(\.first) == Array(6..<12))
        let sizes = records.map { record in
            var bytes: [UInt8] = []
            record.encode(into: &bytes)
            return bytes.count
        }
        let lastEnd = WriteAheadSegment.recordsStart + sizes.reduce(0, +)
        let lastStart = lastEnd - sizes[sizes.count - 1]
        var images: [(TemporaryDirectory, [RecordedEvent])] = []
        for offset in cut?(lastStart..<lastEnd) ?? [lastEnd] {
            let image = TemporaryDirectory("powerloss")
            var torn = segment
            if offset < lastEnd { torn.replaceSubrange(offset..<lastEnd, with: repeatElement(0, count: lastEnd - offset)) }
            try Self.write(data, image.child("data.mdb"))
            try Self.write(torn, image.child(WriteAheadSegment.fileName))
            images.append((image, offset < lastEnd ? Array(acknowledged.dropLast()) : acknowledged))
        }
        return images
    }

    static func recover(_ image: TemporaryDirectory) throws -> EventStore {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        #expect(throws: EventStoreError.self) { _ = try Self.store(at: image.path) }
        #expect(try EventStore.recoverAfterRestart(directory: image.path, logger: logger))
        return try Self.store(at: image.path)
    }

    static func expectIntact(_ store: EventStore, holding expected: [RecordedEvent]) throws {
        #expect(try store.readAll(limit: 100) == expected)
        let report = try store.read { try LogVerifier(store: store).verify(in: $0) }
        #expect(report.problem == nil && report.size == UInt64(expected.count))
        #expect(try store.treeHead() == (UInt64(expected.count), report.root))
    }

    @Test func aPowerLossLosesNothingAcknowledged() async throws {
        let (image, expected) = try await powerLoss()[0]
        let store = try Self.recover(image)
        try Self.expectIntact(store, holding: expected)
        // Recovered once: opening again restores nothing.
        store.close()
        #expect(try !EventStore.recoverAfterRestart(directory: image.path, logger: Logger(label: "test")))
    }

    @Test func aTornLastRecordIsCutAtEveryByteAndTheRestReplayed() async throws {
        for (image, expected) in try await powerLoss(cuttingLastRecordAt: { Array($0) }) {
            try Self.expectIntact(try Self.recover(image), holding: expected)
        }
    }

    @Test func aChangedByteInTheLastRecordCutsIt() async throws {
        let (image, expected) = try await powerLoss()[0]
        let path = image.child(WriteAheadSegment.fileName)
        var segment = try Self.bytes(path)
        let scan = segment[WriteAheadSegment.recordsStart...].withUnsafeBytes { SegmentScan($0) }
        segment[WriteAheadSegment.recordsStart + scan.validEnd - 40] ^= 0x20
        try Self.write(segment, path)
        try Self.expectIntact(try Self.recover(image), holding: Array(expected.dropLast()))
    }

    /// A replica's bulk copy leaves the projections behind its log; replaying
    /// such a commit must leave them behind too, not project it (which the
    /// writer would refuse, and the store would not open).
    @Test func aBulkCopyIsReplayedAsABulkCopy() async throws {
        let source = Fixture()
        let origin = try source.store()
        for i in 0..<10 { try await origin.append(to: stream("S\(i % 2)"), events: [event()]) }
        let store = try fixture.store(hook: RejectingHook())
        store.committer.withWriter { $0.syncPointNanoseconds = .max }
        _ = try await store.copy(try origin.storedRecords(from: 0, limit: 5, maxBytes: 1 << 20).records)
        try store.committer.withWriter { try $0.syncPoint(clean: false) }
        let synced = try Self.bytes(fixture.dir.child("data.mdb"))
        _ = try await store.copy(try origin.storedRecords(from: 5, limit: 5, maxBytes: 1 << 20).records)
        let image = TemporaryDirectory("bulk")
        try Self.write(synced, image.child("data.mdb"))
        var segment = try Self.bytes(fixture.dir.child(WriteAheadSegment.fileName))
        var header = try #require(segment.withUnsafeBytes { SegmentHeader($0) })
        header.bootID = UUID()
        segment.replaceSubrange(0..<header.encode().count, with: header.encode())
        try Self.write(segment, image.child(WriteAheadSegment.fileName))
        #expect(try EventStore.recoverAfterRestart(directory: image.path, logger: Logger(label: "test")))
        let recovered = try EventStore(environment: Environment(path: image.path), hook: RejectingHook())
        #expect(try recovered.readAll(limit: 100) == origin.readAll(limit: 100))
        #expect(try recovered.read { try recovered.log.hookHead(in: $0) } == 0)
    }

    /// A new cycle mid-replay would drop the records not yet replayed.
    @Test func noSyncPointRunsWhileTheSegmentIsReplayed() async throws {
        let store = try store()
        try await store.append(to: stream("S"), events: [event()])
        let before = try #require(WriteAheadSegment.header(in: fixture.dir.path))
        store.committer.withWriter { writer in
            writer.syncPointNanoseconds = 0
            writer.replaying = true
            writer.syncPointIfDue()
            writer.replaying = false
        }
        #expect(WriteAheadSegment.header(in: fixture.dir.path) == before)
        store.committer.withWriter { $0.syncPointIfDue() }
        #expect(WriteAheadSegment.header(in: fixture.dir.path)?.head == 1)
    }

    @Test func aCleanCloseLeavesNothingToReplay() async throws {
        do {
            let store = try store()
            for _ in 0..<5 { try await store.append(to: stream("S"), events: [event()]) }
            store.close()
        }
        let header = try #require(WriteAheadSegment.header(in: fixture.dir.path))
        #expect(header.clean && header.head == 5)
        let (_, _, scan) = try WriteAheadSegment.open(directory: fixture.dir.path, capacity: 0)
        #expect(scan.records.isEmpty)
    }

    @Test func aFormat3DirectoryIsUpgradedInPlace() async throws {
        do {
            let store = try fixture.store()
            try await store.append(to: stream("S"), events: [event()])
            try store.environment.write { txn in try txn.put(store.log.layout.meta, "format", 3) }
            store.close()
        }
        try FileManager.default.removeItem(atPath: fixture.dir.child(WriteAheadSegment.fileName))
        let store = try fixture.store()
        #expect(try store.read { txn in try txn.get(store.log.layout.meta, "format") } == 4)
        #expect(store.head == 1)
        #expect(FileManager.default.fileExists(atPath: fixture.dir.child(WriteAheadSegment.fileName)))
    }
}
