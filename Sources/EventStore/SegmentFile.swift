import AccordCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write-ahead segment's file and its durable writes.
///
/// Where the file system takes them, a write is direct and synchronous
/// (`O_DIRECT | O_DSYNC`): one system call that returns once the bytes are
/// on the device, past the page cache. A buffered `pwrite` followed by
/// `fdatasync` cost a lone client's append about 30 µs more (the write
/// waited on the page the last sync had just written). Direct writes move
/// whole aligned blocks, so the file keeps the bytes of the last block it
/// wrote before the write's end (`tail`), and fills the rest of that block
/// with zeros: bytes after a write, to its block's end, read back as zero.
/// Elsewhere (a file system without direct I/O), `pwrite` and `fdatasync`.
final class SegmentFile {
    let path: String
    /// Buffered: reads, growth, and the writes where direct I/O is refused.
    let fd: Int32
    /// Direct and synchronous; `-1` when the file system refuses it.
    private var directFD: Int32
    /// An aligned buffer for direct writes, grown as needed.
    private var buffer: UnsafeMutableRawBufferPointer
    /// The block the last direct write ended in: where it starts, and its bytes up to that end.
    private var tail: (start: Int, bytes: [UInt8])?

    /// The alignment of a direct write's offset, length and memory: a page,
    /// which every block device's logical block divides.
    static let blockSize = 4096

    /// Opens `path` (creating it, private), direct where possible (and `direct`).
    init(path: String, direct: Bool = true) throws(EventStoreError) {
        self.path = path
        fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Self.error("cannot open", path) }
        directFD = direct ? Self.directFlag.map { Glibc.open(path, O_RDWR | O_CLOEXEC | O_DSYNC | $0) } ?? -1 : -1
        buffer = .allocate(byteCount: Self.blockSize * 16, alignment: Self.blockSize)
    }

    deinit {
        if directFD >= 0 { close(directFD) }
        close(fd)
        buffer.deallocate()
    }

    /// Whether writes go straight to the device.
    var isDirect: Bool { directFD >= 0 }

    /// Writes `bytes` at `offset` and returns once they are durable.
    func writeDurably(_ bytes: [UInt8], at offset: Int) throws(EventStoreError) {
        guard directFD >= 0 else {
            try check(bytes.withUnsafeBytes { writeAll($0, to: fd, at: offset) }, "cannot write")
            guard fdatasync(fd) == 0 else { throw Self.error("cannot sync", path) }
            return
        }
        let start = offset & ~(Self.blockSize - 1)
        let end = offset + bytes.count
        let length = (end - start + Self.blockSize - 1) & ~(Self.blockSize - 1)
        if buffer.count < length {
            buffer.deallocate()
            buffer = .allocate(byteCount: length, alignment: Self.blockSize)
        }
        let prefix = offset - start
        if prefix > 0 {
            if let tail, tail.start == start, tail.bytes.count >= prefix {
                tail.bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<prefix])) }
            } else {
                guard pread(fd, buffer.baseAddress, prefix, off_t(start)) == prefix else { throw Self.error("cannot read", path) }
            }
        }
        bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[prefix...]).copyMemory(from: $0) }
        UnsafeMutableRawBufferPointer(rebasing: buffer[(prefix + bytes.count)..<length]).initializeMemory(as: UInt8.self, repeating: 0)
        let code = writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<length]), to: directFD, at: start)
        if code == EINVAL {
            // A file system may open `O_DIRECT` and refuse the write itself: write buffered from now on.
            close(directFD)
            directFD = -1
            tail = nil
            return try writeDurably(bytes, at: offset)
        }
        try check(code, "cannot write")
        let tailStart = end & ~(Self.blockSize - 1)
        tail = (tailStart, [UInt8](UnsafeRawBufferPointer(rebasing: buffer[(tailStart - start)..<(end - start)])))
    }

    /// Grows the file with zeros from `start` to `end` through the page
    /// cache, then `fsync`s it (a new size is metadata); on failure the
    /// file is cut back to `start`.
    func zeroFill(from start: Int, to end: Int) throws(EventStoreError) {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var offset = start
        while offset < end {
            let count = min(zeros.count, end - offset)
            let code = zeros.withUnsafeBytes { writeAll(UnsafeRawBufferPointer(rebasing: $0[..<count]), to: fd, at: offset) }
            guard code == 0 else {
                _ = ftruncate(fd, off_t(start))
                errno = code
                throw Self.error("cannot grow", path)
            }
            offset += count
        }
        guard fsync(fd) == 0 else { throw Self.error("cannot sync", path) }
    }

    /// `pwrite` until every byte is written; `0`, or the `errno` of the failure.
    private func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, at offset: Int) -> Int32 {
        var done = 0
        while done < bytes.count {
            let count = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return count == 0 ? EIO : errno }
            done += count
        }
        return 0
    }

    private func check(_ code: Int32, _ what: String) throws(EventStoreError) {
        guard code != 0 else { return }
        errno = code
        throw Self.error(what, path)
    }

    /// The error for a failed system call on the segment, `errno` read now.
    static func error(_ what: String, _ path: String) -> EventStoreError {
        let code = errno
        let why = "\(what) the write-ahead segment \(path): \(String(cString: strerror(code)))"
        switch code {
        case ENOSPC, EDQUOT, EFBIG: return .storageFull(why)
        default: return .storage(why)
        }
    }

    /// Linux's `O_DIRECT`, which Swift's Glibc module does not export.
    private static var directFlag: Int32? {
        #if os(Linux) && arch(x86_64)
        0o40000
        #elseif os(Linux) && arch(arm64)
        0o200000
        #else
        nil
        #endif
    }
}
