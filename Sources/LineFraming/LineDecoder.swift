import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a connection's bytes into lines, exactly within the limit: the one
/// framing of Accord's protocol, used by the server for requests and by the
/// Swift client for responses and pushes.
///
/// A line is the bytes before `\n`, without a `\r` just before it. A line of
/// `maxLineBytes` bytes is accepted and one of `maxLineBytes + 1` refused
/// (`LineTooLong`), whether it arrives in one read or in many: the decoder
/// decides as soon as it holds more than the limit without a line end, so
/// it never buffers more than the limit plus two bytes of one line.
public struct LineDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

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

    public init(maxLineBytes: Int) {
        limit = Limit(maxLineBytes)
    }

    /// A decoder whose limit `limit`'s owner may change.
    public init(limit: Limit) {
        self.limit = limit
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
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
            return .needMoreData
        }
        let newline = view.startIndex + offset
        var length = offset
        searched = 0
        let carriageReturn = length > 0 && view[newline - 1] == UInt8(ascii: "\r")
        if carriageReturn { length -= 1 }
        guard length <= maxLineBytes else { throw LineTooLong(maxLineBytes: maxLineBytes) }
        let line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: carriageReturn ? 2 : 1)
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A last line without its `\n` is not a line: the peer stopped mid-line.
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }
}
