import LineFraming
import NIOCore
import WireProtocol

/// Requests in: the bytes read cut into lines, each decoded (a large one on
/// the blocking pool) and queued in the state machine.
extension ConnectionHandler {
    /// Cuts the bytes read into lines here, not in a pipeline stage of its
    /// own: a stage's read per line cost about 3% of the server's CPU per
    /// append. A nested read (TLS may deliver one while a line is handled)
    /// adds its bytes for the running loop to cut, in order.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        guard !inboundRefused else { return }
        if inbound == nil { inbound = incoming } else { inbound?.writeBuffer(&incoming) }
        guard !splitting else { return }
        splitting = true
        defer { splitting = false }
        do {
            while let line = try nextLine() { lineReceived(line) }
        } catch {
            inboundRefused = true
            inbound = nil
            refuseLongLine(limit: error.maxLineBytes)
        }
    }

    /// The next whole line of `inbound`; lets go of the bytes once all are
    /// cut, so that NIO can reuse its receive buffer.
    private func nextLine() throws(LineSplitter.LineTooLong) -> ByteBuffer? {
        guard var buffer = inbound else { return nil }
        // Held once, so that moving its reader index never copies it.
        inbound = nil
        defer { if buffer.readableBytes > 0 { inbound = buffer } }
        return try splitter.next(in: &buffer)
    }

    private func lineReceived(_ line: ByteBuffer) {
        guard let sequence = state.lineReceived() else { return }
        lastLine = .now()
        if line.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            return answer(sequence, [])
        }
        guard line.readableBytes > Self.decodeOnLoopUpTo else {
            return decoded(sequence, Self.decode(line), bytes: line.readableBytes)
        }
        // Keeps its place: nothing after it starts before it is decoded.
        state.awaitDecoding(sequence, bytes: line.readableBytes)
        server.backgroundWork.submit(.query) { [onLoop] in
            let request = Self.decode(line)
            onLoop { $0.decoded(sequence, request, bytes: line.readableBytes) }
        }
    }

    private static func decode(_ line: ByteBuffer) -> Result<Request, RequestError> {
        Result { () throws(RequestError) in try line.withUnsafeReadableBytes { raw throws(RequestError) in try Request.decode(raw) } }
    }

    private func decoded(_ sequence: UInt64, _ decoded: Result<Request, RequestError>, bytes: Int) {
        switch decoded {
        case .success(let request):
            // Op, id and principal only: never the line, which may hold a token or law-enforcement details.
            if logsRequests {
                logger.debug(
                    "request",
                    metadata: ["op": "\(request.command.op)", "id": "\(request.id.canonicalString)", "principal": "\(principal)"])
            }
            if bytes > Self.decodeOnLoopUpTo {
                state.decoded(sequence, request, work: Self.work(request.command))
            } else {
                state.enqueue(sequence, request, work: Self.work(request.command), bytes: bytes)
            }
        case .failure(let error):
            if bytes > Self.decodeOnLoopUpTo { state.dropDecoding(sequence) }
            answer(sequence, server.refusal(error.id, error.error))
        }
        drive()
    }

    /// Answers a line over the limit with `line_too_long`, then closes.
    private func refuseLongLine(limit: Int) {
        guard let sequence = state.lineTooLong() else { return }
        stopStreams(announceShutdown: false)
        let error = WireError(
            .lineTooLong, "a line may be at most \(limit) bytes; closing the connection", details: ["maxLineBytes": .integer(Int64(limit))])
        answer(sequence, server.refusal(.null, error))
        drive()
        loop.flush()
    }
}
