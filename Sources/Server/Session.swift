import AccordJSON
import Agreements
import EventStore
import Logging
import NIOCore
import NIOExtras
import WireProtocol

/// The per-connection state while it is served.
struct Session {
    var principal: String
    let context: ServerContext
    let output: Output
    let logger: Logger
    /// `nil` until `hello` authenticates, when tokens are configured; without
    /// tokens (loopback only) every connection is `admin`.
    var role: Role?
    /// Shared with the timers that close silent and idle connections.
    let activity = ConnectionActivity()
    var pushers: [String: PusherControl] = [:]
    var nextPusher = 0
    /// Appends of this connection not yet answered: a later request waits for
    /// them, so a pipelined read sees the connection's own earlier writes.
    private var pendingAppends: [ResponseSlot] = []

    init(principal: String, context: ServerContext, output: Output, logger: Logger) {
        self.principal = principal
        self.context = context
        self.output = output
        self.logger = logger
        if context.configuration.tokens.isEmpty { role = .admin }
    }

    mutating func serve(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, close: @escaping @Sendable () -> Void) async {
        // Timers run beside the session and are cancelled when it ends.
        await withDiscardingTaskGroup { timers in
            if role == nil { closeIfSilent(close, in: &timers) }
            closeWhenIdle(close, in: &timers)
            await serveLines(inbound)
            timers.cancelAll()
        }
    }

    private mutating func serveLines(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async {
        // The last `maxInFlightPerConnection` responses: before reading
        // another request, the oldest must be written, so a client that
        // pipelines without reading is slowed by TCP backpressure instead of
        // growing server memory.
        var inFlight: [ResponseSlot] = []
        let limit = context.configuration.maxInFlightPerConnection
        func place(after last: ResponseSlot?) async -> ResponseSlot {
            if inFlight.count >= limit { _ = try? await inFlight.removeFirst().written.wait() }
            let slot = ResponseSlot(after: last, output: output)
            inFlight.append(slot)
            return slot
        }
        var last: ResponseSlot?
        await withDiscardingTaskGroup { group in
            do {
                for try await buffer in inbound {
                    let slot = await place(after: last)
                    last = slot
                    await handle(buffer, slot, in: &group)
                }
            } catch is ByteToMessageDecoderError.PayloadTooLargeError {
                let slot = await place(after: last)
                let limit = context.configuration.maxLineBytes
                await slot.deliver(
                    context.refusal(
                        .null,
                        WireError(
                            .lineTooLong, "a line may be at most \(limit) bytes; closing the connection",
                            details: ["maxLineBytes": .integer(Int64(limit))])))
            } catch {
                // The client went away mid-line, or the socket failed: stop reading.
            }
            let reason: PusherControl.Stop = context.connections.isShuttingDown ? .shuttingDown : .disconnected
            for pusher in pushers.values { pusher.stop(reason) }
        }
    }

    private mutating func handle(_ buffer: ByteBuffer, _ slot: ResponseSlot, in group: inout DiscardingTaskGroup) async {
        activity.sawLine()
        var line = buffer.readableBytesView
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            await slot.deliver([])
            return
        }
        let request: Request
        do {
            request = try line.withUnsafeBytes { raw in try Request.parse(raw) }
        } catch let error as RequestError {
            await slot.deliver(context.refusal(error.id, error.error))
            return
        } catch {
            await slot.deliver(context.refusal(.null, WireError(.badJSON, "the line could not be read")))
            return
        }
        // Op, id and principal only: never the line, which may hold a token or law-enforcement details.
        logger.debug("request", metadata: ["op": "\(request.op)", "id": "\(request.id.canonicalString)", "principal": "\(principal)"])
        if let refusal = gate(request) { return await slot.deliver(refusal) }
        let operations = context.operations
        if request.op != "append", !pendingAppends.isEmpty {
            for append in pendingAppends { _ = try? await append.written.wait() }
            pendingAppends.removeAll()
        }
        switch request.op {
        case "append":
            guard context.appendGate.tryEnter() else {
                let limit = context.appendGate.limit
                return await slot.deliver(
                    context.refusal(
                        request.id,
                        WireError(
                            .overloaded, "the server has \(limit) appends waiting for their commit, its limit; retry shortly")))
            }
            pendingAppends.removeAll { $0.isWritten }
            pendingAppends.append(slot)
            let (principal, context) = (principal, context)
            group.addTask {
                defer { context.appendGate.leave() }
                do {
                    let started = ContinuousClock.now
                    let result = try await operations.append(request, principal: principal)
                    context.metrics.appended(events: result.wasDuplicate ? 0 : result.positions.count, since: started)
                    await slot.deliver(result.responseLine(id: request.id))
                } catch {
                    await slot.deliver(context.failure(request, error))
                }
            }
        case "subscribe", "watch":
            await start(request, slot, in: &group)
        case "unsubscribe", "unwatch":
            let key = request.op == "unsubscribe" ? "sub" : "watch"
            guard let name = try? request.string(key), let pusher = pushers.removeValue(forKey: name) else {
                await slot.deliver(
                    context.refusal(
                        request.id, WireError(.notFound, "no \(key == "sub" ? "subscription" : "watch") by that name on this connection")))
                return
            }
            pusher.stop(.requested)
            group.addTask {
                await pusher.finished()
                await slot.deliver(Response.ok(request.id, .object([:])))
            }
        case "hello":
            await slot.deliver(hello(request))
        default:
            // The connection reads its next line only after this answer, as a
            // pipelined append must not land inside this read's snapshot.
            let answer = await Answerer(context: context, role: role, principal: principal).answer(request)
            guard !answer.disclosed.isEmpty else { return await slot.deliver(answer.bytes) }
            // Law-enforcement details leave only once the read is on record.
            let (context, principal) = (context, principal)
            group.addTask {
                do {
                    try await context.audit.record(answer.disclosed, op: request.op, requestId: request.id, principal: principal)
                    await slot.deliver(answer.bytes)
                } catch {
                    await slot.deliver(context.failure(request, error))
                }
            }
        }
    }
}
