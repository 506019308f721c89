import AccordJSON
import NIOCore
import WireProtocol

/// A connection's output: responses in request order, flushing, draining
/// and closing, and the per-connection output bound.
extension ConnectionHandler {
    /// A started request's response; dropped if the connection closed meanwhile.
    func finish(_ ticket: Ticket, _ bytes: [UInt8]) {
        deliver(state.complete(ticket.sequence, work: ticket.work, buffer(bytes)))
    }

    /// A started request's response, written in the loop's scratch and copied once into its buffer.
    func finish(_ ticket: Ticket, writing write: (inout JSONWriter) -> Void) {
        deliver(state.complete(ticket.sequence, work: ticket.work, loop.buffer(allocator, write)))
    }

    /// A response for a request that never started (blank, unreadable).
    func answer(_ sequence: UInt64, _ bytes: [UInt8]) {
        deliver(state.answer(sequence, buffer(bytes)))
    }

    func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        allocator.buffer(bytes: bytes)
    }

    func deliver(_ delivery: ConnectionStateMachine.Delivery) {
        guard case .write(let due) = delivery, !due.isEmpty, let context else { return drive() }
        for buffer in due where buffer.readableBytes > 0 { context.write(wrapOutboundOut(buffer), promise: nil) }
        loop.needsFlush(self)
        if !streams.isEmpty { pumpStreams() }
        drive()
    }

    /// Writes a line outside the response order (a push); flushed with the batch.
    func write(_ bytes: [UInt8]) {
        guard !state.isClosed, let context else { return }
        context.write(wrapOutboundOut(allocator.buffer(bytes: bytes)), promise: nil)
        loop.needsFlush(self)
    }

    func flushNow() {
        context?.flush()
    }

    // MARK: Closing

    /// Stops reading; answers what was read, ends streams (with a `closed`
    /// line on shutdown), then closes.
    func beginDrain(announceShutdown: Bool) {
        guard state.beginDrain(announceShutdown: announceShutdown) else { return }
        stopStreams(announceShutdown: announceShutdown)
        drive()
        loop.flush()
    }

    /// Ends the streams, writes one last unsolicited error line, and closes
    /// after flushing it (or at once if the peer does not take it in time).
    func close(saying reason: WireErrorLine) {
        guard let context, !state.isClosed else { return }
        stopStreams(announceShutdown: false)
        context.write(wrapOutboundOut(buffer(server.refusal(.null, WireError(reason.code, reason.message)))), promise: nil)
        _ = state.close()
        close(.afterFlush)
    }

    /// Closes at once, discarding unsent output.
    func closeNow() {
        _ = state.close()
        close(.now)
    }

    func close(_ mode: ConnectionStateMachine.CloseMode) {
        guard let context else { return }
        let channel = context.channel
        switch mode {
        case .now:
            channel.close(promise: nil)
        case .afterFlush:
            context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                channel.close(promise: nil)
            }
            // A peer that never reads would hold the flush, and the connection, for ever.
            let linger = channel.eventLoop.scheduleTask(in: Self.amount(server.configuration.closeLinger)) { channel.close(promise: nil) }
            // Once closed, nothing may hold the channel and its buffers until the linger passes.
            channel.closeFuture.whenComplete { _ in linger.cancel() }
        }
    }

    /// NIO's outbound buffer high-water mark, half the connection's output
    /// budget: over it the channel is not writable, and the state machine
    /// stops reading and starting requests.
    func setOutputLimit(_ budget: Int) {
        let mark = ChannelOptions.Types.WriteBufferWaterMark(low: budget / 4, high: budget / 2)
        try? context?.channel.syncOptions?.setOption(.writeBufferWaterMark, value: mark)
    }
}
