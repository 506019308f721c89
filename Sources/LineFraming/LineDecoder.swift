import NIOCore

/// `LineSplitter` as a pipeline stage: fires each line as its own read.
/// The Swift client's framing of responses and pushes.
public struct LineDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer
    public typealias Limit = LineSplitter.Limit
    public typealias LineTooLong = LineSplitter.LineTooLong

    private var splitter: LineSplitter

    /// The longest line now.
    public var maxLineBytes: Int { splitter.maxLineBytes }

    public init(maxLineBytes: Int) {
        splitter = LineSplitter(limit: Limit(maxLineBytes))
    }

    /// A decoder whose limit `limit`'s owner may change.
    public init(limit: Limit) {
        splitter = LineSplitter(limit: limit)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let line = try splitter.next(in: &buffer) else { return .needMoreData }
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
