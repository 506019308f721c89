import AccordTesting
import Foundation
import Testing

@testable import EventStore

/// The segment file's durable writes read back as written, direct (whole
/// blocks, the rest of the last one zeroed) or buffered.
@Suite struct SegmentFileTests {
    let dir = TemporaryDirectory("segment-file")

    /// What the file must hold after writes, each zeroing the rest of its last block when direct.
    struct Model {
        var bytes: [UInt8]
        let direct: Bool

        mutating func write(_ written: [UInt8], at offset: Int) {
            let end = offset + written.count
            let blockEnd = direct ? (end + SegmentFile.blockSize - 1) / SegmentFile.blockSize * SegmentFile.blockSize : end
            if bytes.count < blockEnd { bytes += [UInt8](repeating: 0, count: blockEnd - bytes.count) }
            bytes.replaceSubrange(offset..<end, with: written)
            bytes.replaceSubrange(end..<blockEnd, with: repeatElement(0, count: blockEnd - end))
        }
    }

    @Test(arguments: [true, false]) func writesReadBackAsWritten(direct: Bool) throws {
        let path = dir.child("file-\(direct)")
        // Stale bytes first, as a recycled segment holds: writes must never leave them in their blocks.
        let stale = (0..<(1 << 18)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        try Data(stale).write(to: URL(fileURLWithPath: path))
        let file = try SegmentFile(path: path, direct: direct)
        var model = Model(bytes: stale, direct: file.isDirect)
        var generator = SplitMix64(seed: direct ? 7 : 8)
        var offset = 65_536
        for round in 0..<200 {
            let count = Int.random(in: 1...9_000, using: &generator)
            let written = (0..<count).map { _ in UInt8.random(in: 1...255, using: &generator) }
            switch round % 50 {
            case 17:
                // A header at the start, then appends continue where they were (the block read back).
                let header = [UInt8](repeating: 0xAB, count: 200)
                try file.writeDurably(header, at: 0)
                model.write(header, at: 0)
            case 33:
                // A rewind: zeros at an earlier, unaligned offset, and appends go on from there.
                offset -= min(offset - 65_536, 5_000)
                let zeros = [UInt8](repeating: 0, count: 24)
                try file.writeDurably(zeros, at: offset)
                model.write(zeros, at: offset)
            default:
                break
            }
            try file.writeDurably(written, at: offset)
            model.write(written, at: offset)
            offset += count
        }
        let onDisk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(onDisk.count >= offset)
        let compared = min(onDisk.count, model.bytes.count)
        #expect(onDisk[..<compared] == model.bytes[..<compared])
    }
}
