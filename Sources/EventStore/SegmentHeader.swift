import AccordCore
import Crypto
import Foundation

/// What the write-ahead segment says about the LMDB file beside it, written
/// (and synced) at every sync point, before the first record of the cycle.
///
/// Layout (little-endian) at offset 0: `magic u32 | version u32 | flags u32 |
/// meta length u32 | head u64 | boot id (16 bytes) | LMDB's meta pages |
/// SHA-256 of all before it (32 bytes)`. Flag bit 0: the store closed cleanly
/// (every record applied and synced; nothing to replay or restore).
struct SegmentHeader: Equatable, Sendable {
    /// The log's length in the synced snapshot.
    var head: Position
    /// The kernel's boot id when the snapshot was synced: if the machine has
    /// not restarted since, the page cache still holds every later commit.
    var bootID: UUID
    /// The data file's two meta pages at the sync point.
    var metaPages: [UInt8]
    var clean: Bool

    static let magic: UInt32 = 0x4448_5741  // "AWHD"
    static let version: UInt32 = 1
    /// The header's region; records start after it.
    static let regionSize = 64 << 10
    private static let fixedSize = 40

    func encode() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.fixedSize + metaPages.count + 32)
        out.appendLittleEndian(Self.magic)
        out.appendLittleEndian(Self.version)
        out.appendLittleEndian(UInt32(clean ? 1 : 0))
        out.appendLittleEndian(UInt32(metaPages.count))
        out.appendLittleEndian(head)
        withUnsafeBytes(of: bootID.uuid) { out.append(contentsOf: $0) }
        out.append(contentsOf: metaPages)
        out.append(contentsOf: SHA256.hash(data: out))
        return out
    }

    /// The header in `bytes`, or `nil` when there is none whole (a new
    /// segment, or a header torn while it was written: the snapshot it was
    /// written for is then on disk as synced, with nothing after it).
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.fixedSize, bytes.loadLittleEndian(UInt32.self, at: 0) == Self.magic,
            bytes.loadLittleEndian(UInt32.self, at: 4) == Self.version
        else { return nil }
        let metaLength = Int(bytes.loadLittleEndian(UInt32.self, at: 12))
        let end = Self.fixedSize + metaLength
        guard metaLength <= Self.regionSize - Self.fixedSize - 32, bytes.count >= end + 32,
            SHA256.hash(data: UnsafeRawBufferPointer(rebasing: bytes[..<end])).elementsEqual(bytes[end..<end + 32])
        else { return nil }
        clean = bytes.loadLittleEndian(UInt32.self, at: 8) & 1 == 1
        head = bytes.loadLittleEndian(UInt64.self, at: 16)
        var uuid = UUID().uuid
        withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[24..<40])) }
        bootID = UUID(uuid: uuid)
        metaPages = Array(bytes[Self.fixedSize..<end])
    }

    init(head: Position, bootID: UUID, metaPages: [UInt8], clean: Bool) {
        (self.head, self.bootID, self.metaPages, self.clean) = (head, bootID, metaPages, clean)
    }

    /// This boot of the machine's id (`/proc/sys/kernel/random/boot_id`).
    static let currentBootID: UUID = {
        let text = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
        // Without one, every start counts as a new boot: recovery then always restores.
        return UUID(uuidString: text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? UUID()
    }()
}
