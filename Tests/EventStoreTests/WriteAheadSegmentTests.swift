import AccordCore
import AccordTesting
import Foundation
import Merkle
import Testing

@testable import EventStore

/// The segment's records survive as written; whatever a crash or a power
/// loss leaves after the last whole record is cut, never misread.
@Suite struct WriteAheadSegmentTests {
    let dir = TemporaryDirectory("segment")

    static func record(first: Position, count: Int, seed: UInt8 = 1) -> SegmentRecord {
        SegmentRecord(
            first: first,
            entries: (0..<count).map { index in
                let byte = seed &+ UInt8(truncatingIfNeeded: index)
                return SegmentRecord.Entry(
                    record: [UInt8](repeating: byte, count: 40 + index * 7),
                    leaf: TreeHash(bytes: [UInt8](repeating: byte &+ 1, count: 32))!)
            })
    }

    static func scan(_ bytes: some Collection<UInt8>) -> SegmentScan {
        Array(bytes).withUnsafeBytes { SegmentScan($0) }
    }

    static func encoded(_ records: [SegmentRecord]) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records { record.encode(into: &bytes) }
        return bytes
    }

    @Test func recordsReadBackAsWrittenAfterReopening() throws {
        let records = [Self.record(first: 0, count: 1), Self.record(first: 1, count: 3), Self.record(first: 4, count: 2)]
        do {
            let (segment, _, scan) = try WriteAheadSegment.open(directory: dir.path, capacity: 1 << 20)
            #expect(scan.records.isEmpty && !scan.cutTail)
            for record in records { try segment.append(record) }
            #expect(segment.pending == 0..<6)
        }
        let (segment, _, scan) = try WriteAheadSegment.open(directory: dir.path, capacity: 1 << 20)
        #expect(scan.records == records && !scan.cutTail)
        #expect(segment.writeOffset == WriteAheadSegment.recordsStart + Self.encoded(records).count && segment.pending == 0..<6)
        // The file was zero-filled once: a commit overwrites allocated blocks.
        #expect(try FileManager.default.attributesOfItem(atPath: segment.path)[.size] as? Int == segment.capacity)
        #expect(throws: EventStoreError.self) { try segment.append(Self.record(first: 7, count: 1)) }
    }

    @Test func aTailCutAtAnyByteLeavesExactlyTheRecordsBeforeIt() {
        let kept = [Self.record(first: 10, count: 2), Self.record(first: 12, count: 1)]
        let last = Self.record(first: 13, count: 3)
        let prefix = Self.encoded(kept)
        let whole = Self.encoded(kept + [last])
        for cut in prefix.count..<whole.count {
            let scan = Self.scan(whole[..<cut] + [UInt8](repeating: 0, count: 64))
            #expect(scan.records == kept && scan.validEnd == prefix.count, "cut at \(cut)")
            #expect(scan.cutTail == (cut > prefix.count), "cut at \(cut)")
        }
        #expect(Self.scan(whole).records == kept + [last])
    }

    @Test func aChangedByteAnywhereInTheLastRecordCutsItAlone() {
        let kept = [Self.record(first: 0, count: 2)]
        let prefix = Self.encoded(kept)
        let whole = Self.encoded(kept + [Self.record(first: 2, count: 2)])
        for offset in prefix.count..<whole.count {
            var damaged = whole
            damaged[offset] ^= 0x01
            let scan = Self.scan(damaged)
            #expect(scan.records == kept && scan.validEnd == prefix.count && scan.cutTail, "byte \(offset)")
        }
    }

    @Test func aRecycledSegmentNeverReadsTheEarlierCycleBehindItsTail() throws {
        let (segment, _, _) = try WriteAheadSegment.open(directory: dir.path, capacity: 1 << 20)
        // More than a block of them: a direct write zeroes the rest of the block it ends in.
        for first in stride(from: 0, to: 120, by: 4) { try segment.append(Self.record(first: Position(first), count: 4)) }
        #expect(segment.writeOffset - WriteAheadSegment.recordsStart > 2 * SegmentFile.blockSize)
        try segment.startCycle(SegmentHeader(head: 120, bootID: SegmentHeader.currentBootID, metaPages: [1, 2, 3], clean: false))
        let fresh = Self.record(first: 120, count: 1, seed: 9)
        try segment.append(fresh)
        let (_, header, scan) = try WriteAheadSegment.open(directory: dir.path, capacity: 1 << 20)
        #expect(scan.records == [fresh] && scan.cutTail)
        #expect(header == SegmentHeader(head: 120, bootID: SegmentHeader.currentBootID, metaPages: [1, 2, 3], clean: false))
        // A cycle whose first record was torn holds nothing.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment.path)))
        bytes[WriteAheadSegment.recordsStart + SegmentRecord.headerSize + 3] ^= 0xff
        #expect(Self.scan(bytes[WriteAheadSegment.recordsStart...]).records.isEmpty)
        // A header with a changed byte is no header.
        bytes[7] ^= 0x01
        #expect(bytes.withUnsafeBytes { SegmentHeader($0) } == nil)
    }

    @Test func aSegmentGrowsForARecordLargerThanItsCapacity() throws {
        let (segment, _, _) = try WriteAheadSegment.open(directory: dir.path, capacity: 4_096)
        let large = SegmentRecord(
            first: 0,
            entries: [
                SegmentRecord.Entry(record: [UInt8](repeating: 7, count: 2 << 20), leaf: TreeHash(bytes: [UInt8](repeating: 1, count: 32))!)
            ])
        try segment.append(large)
        try segment.append(Self.record(first: 1, count: 1))
        #expect(segment.capacity >= WriteAheadSegment.recordsStart + (2 << 20))
        let (_, _, scan) = try WriteAheadSegment.open(directory: dir.path, capacity: 4_096)
        #expect(scan.records.map(\.first) == [0, 1])
    }

    @Test(.enabled(if: TemporaryMount.available, "mounting a tmpfs needs root"))
    func aFullDiskRefusesTheRecordWithStorageFullAndKeepsTheOthers() throws {
        let disk = try TemporaryMount(size: "2m", label: "segment-full")
        try FileManager.default.createDirectory(atPath: disk.child("a"), withIntermediateDirectories: false)
        #expect {
            _ = try WriteAheadSegment.open(directory: disk.child("a"), capacity: 4 << 20)
        } throws: { error in
            guard case EventStoreError.storageFull = error else { return false }
            return true
        }
        let (segment, _, _) = try WriteAheadSegment.open(directory: disk.path, capacity: 64 << 10)
        let kept = Self.record(first: 0, count: 2)
        try segment.append(kept)
        let huge = SegmentRecord(
            first: 2,
            entries: [
                SegmentRecord.Entry(record: [UInt8](repeating: 3, count: 2 << 20), leaf: TreeHash(bytes: [UInt8](repeating: 1, count: 32))!)
            ])
        #expect {
            try segment.append(huge)
        } throws: { error in
            guard case EventStoreError.storageFull = error else { return false }
            return true
        }
        // The space is reused: the next record follows the kept one.
        let next = Self.record(first: 2, count: 1)
        try segment.append(next)
        let (_, _, scan) = try WriteAheadSegment.open(directory: disk.path, capacity: 64 << 10)
        #expect(scan.records == [kept, next])
    }
}
