import AccordJSON
import Agreements
import EventStore
import Logging
import NIOCore
import NIOExtras
import WireProtocol

/// One client connection: reads request lines, answers them in order, and
/// runs the connection's subscriptions and watches.
///
/// Appends run concurrently (so one connection's pipelined appends share
/// group commits); every other request is answered before the next line is
/// read (see `Answerer`). The writer sends
/// responses strictly in request order.
struct Connection {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    let context: ServerContext

    func run() async {
        let peer = channel.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        var logger = context.logger
        logger[metadataKey: "peer"] = "\(peer)"
        let registration = context.connections.add(channel.channel)
        defer { context.connections.remove(registration) }
        let overloaded = context.connections.count > context.configuration.maxConnections
        do {
            try await channel.executeThenClose { inbound, outbound in
                let output = Output(writer: outbound)
                if overloaded {
                    logger.warning("refused a connection: too many open")
                    let limit = context.configuration.maxConnections
                    return try await output.write(
                        context.refusal(
                            .null, WireError(.overloaded, "the server has \(limit) connections open, its limit; try again later")))
                }
                try await output.write(context.infoLine())
                var session = Session(principal: peer, context: context, output: output, logger: logger)
                let channel = channel.channel
                await session.serve(inbound, close: { channel.close(promise: nil) })
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }
}
