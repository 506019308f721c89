import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts lines out of a connection's bytes as they arrive, exactly within a
/// limit: the one framing of Accord's protocol. The server splits in its
/// connection handler (a pipeline stage per line cost about 3% of its CPU
/// per append); the Swift client through `LineDecoder`.
///
/// A line is the bytes before `\n`, without a `\r` just before it. A line of
/// `maxLineBytes` bytes is accepted and one of `maxLineBytes + 1` refused
/// (`LineTooLong`), whether it arrives in one read or in many: the splitter
/// decides as soon as the buffer holds more than the limit without a line
/// end, so its owner never buffers more than the limit plus two bytes of
/// one line.
public struct LineSplitter {
    /// A limit its owner may change while the connection runs (the server
    /// raises it once a peer authenticates); confined to the channel's loop.
    public final class Limit {
        public var maxLineBytes: Int

        public init(_ maxLineBytes: Int) {
            self.maxLineBytes = maxLineBytes
        }
    }

    /// The line that broke the limit.
    public struct LineTooLong: Error {
        /// The limit it broke.
        public let maxLineBytes: Int
    }

    private let limit: Limit
    /// Bytes already searched for a line end in the buffer's readable part.
    private var searched = 0

    /// The longest line now.
    public var maxLineBytes: Int { limit.maxLineBytes }

    /// A splitter whose limit `limit`'s owner may change.
    public init(limit: Limit) {
        self.limit = limit
    }

    /// The next whole line of `buffer` (a slice, without its line end; the
    /// reader index moved past the end), or `nil` while `buffer` holds no
    /// line end yet. Throws once the bytes before any line end exceed the limit.
    public mutating func next(in buffer: inout ByteBuffer) throws(LineTooLong) -> ByteBuffer? {
        let view = buffer.readableBytesView
        // memchr: a replica's pages are lines of megabytes, read in many pieces.
        let found = buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard searched < bytes.count, let base = bytes.baseAddress else { return nil }
            return memchr(base + searched, 0x0A, bytes.count - searched).map { base.distance(to: UnsafeRawPointer($0)) }
        }
        guard let offset = found else {
            searched = view.count
            // Without a line end, `maxLineBytes + 1` bytes may still be a whole line and its `\r`.
            if view.count > maxLineBytes + 1 || (view.count == maxLineBytes + 1 && view.last != UInt8(ascii: "\r")) {
                throw LineTooLong(maxLineBytes: maxLineBytes)
            }
            return nil
        }
        searched = 0
        let carriageReturn = offset > 0 && view[view.startIndex + offset - 1] == UInt8(ascii: "\r")
        let length = carriageReturn ? offset - 1 : offset
        guard length <= maxLineBytes else { throw LineTooLong(maxLineBytes: maxLineBytes) }
        let line = buffer.getSlice(at: buffer.readerIndex, length: length) ?? ByteBuffer()
        buffer.moveReaderIndex(forwardBy: offset + 1)
        return line
    }
}
