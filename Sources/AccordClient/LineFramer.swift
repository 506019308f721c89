import NIOCore

/// Splits the server's bytes into lines (without `\n` or `\r\n`), refusing a
/// line longer than the configured limit.
struct LineFramer: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maxLineBytes: Int
    private var scanned = 0

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view[(view.startIndex + scanned)...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            guard view.count <= maxLineBytes + 1 else {
                throw ClientError.unexpectedAnswer("a line from the server exceeds \(maxLineBytes) bytes")
            }
            return .needMoreData
        }
        let length = newline - view.startIndex
        var line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        scanned = 0
        if line.readableBytesView.last == UInt8(ascii: "\r") { line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1)! }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
