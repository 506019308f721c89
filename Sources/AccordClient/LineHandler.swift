import LineFraming
import NIOCore

/// The last handler of a client connection: hands each line to the
/// connection, holding the lines (and a close) that arrive before the
/// connection is attached. Confined to its channel's event loop (`NIOLoopBound`).
final class LineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var connection: ClientConnection?
    private var early: [ByteBuffer] = []
    private var closedEarly = false
    private var failure: (any Error)?

    func attach(_ connection: ClientConnection) {
        self.connection = connection
        for line in early { connection.receive(line) }
        early = []
        if closedEarly { connection.didClose(failure) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        guard let connection else { return early.append(line) }
        connection.receive(line)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil {
            failure =
                (error as? LineDecoder.LineTooLong).map {
                    ClientError.unexpectedAnswer("a line from the server exceeds \($0.maxLineBytes) bytes")
                } ?? error
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let connection { connection.didClose(failure) } else { closedEarly = true }
        context.fireChannelInactive()
    }
}
