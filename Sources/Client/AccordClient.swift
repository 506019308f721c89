import AccordJSON
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL
import Synchronization

/// A client for the Accord protocol, for the CLI and for tests.
///
/// Structured: `AccordClient.connect(…) { client in … }` runs a reader for the
/// connection's lifetime and closes it when the body returns. Requests may be
/// sent from several tasks at once; pushed lines arrive on `pushes`.
public final class AccordClient: Sendable {
    /// The server's info line (the `info` object).
    public var info: JSONValue { infoLine.withLock { $0 } }
    private let infoLine = Mutex<JSONValue>(.null)
    /// Subscription and watch lines, in arrival order.
    public let pushes: AsyncStream<JSONValue>
    private let pushQueue: AsyncStream<JSONValue>.Continuation
    private let output: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let pending = Mutex<(next: Int64, waiting: [Int64: Promise], closed: Bool)>((0, [:], false))

    private init(output: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.output = output
        (pushes, pushQueue) = AsyncStream<JSONValue>.makeStream()
    }

    /// Connects, runs `body` with the client, and closes the connection.
    public static func connect<R: Sendable>(
        host: String = "127.0.0.1", port: Int = 7411, maxLineBytes: Int = 256 << 20, tls: NIOSSLContext? = nil,
        _ body: @Sendable (AccordClient) async throws -> R
    ) async throws -> R {
        let serverName = host.first?.isNumber == true || host.contains(":") ? nil : host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxLineBytes))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let client = AccordClient(output: outbound)
            let ready = Promise()
            return try await withThrowingTaskGroup(of: R?.self) { group in
                group.addTask {
                    defer {
                        ready.fulfill(.failure(AccordClientError.closed))
                        client.fail(AccordClientError.closed)
                    }
                    var first = true
                    for try await line in inbound {
                        let bytes = Array(line.readableBytesView)
                        if first {
                            first = false
                            let info = (try? JSONParser.parse(bytes))?["info"] ?? .null
                            client.infoLine.withLock { $0 = info }
                            ready.fulfill(.success(info))
                        } else {
                            client.receive(bytes)
                        }
                    }
                    return nil
                }
                _ = try await ready.value()
                let result = try await body(client)
                group.cancelAll()
                return result
            }
        }
    }

    /// Sends one request and returns its `result`; throws `AccordClientError.server` for `"ok": false`.
    @discardableResult
    public func request(_ op: String, _ members: [String: JSONValue] = [:]) async throws -> JSONValue {
        let id = pending.withLock { state -> Int64 in
            state.next += 1
            return state.next
        }
        var message = members
        message["id"] = .integer(id)
        message["op"] = .string(op)
        var line = JSONValue.object(message).canonicalBytes
        line.append(0x0A)
        let promise = Promise()
        let closed = pending.withLock { state -> Bool in
            if state.closed { return true }
            state.waiting[id] = promise
            return false
        }
        if closed { throw AccordClientError.closed }
        do {
            try await output.write(ByteBuffer(bytes: line))
        } catch {
            resolve(id, .failure(error))
        }
        return try await promise.value()
    }

    /// Writes raw bytes (for testing malformed input).
    public func send(raw bytes: [UInt8]) async throws {
        try await output.write(ByteBuffer(bytes: bytes))
    }

    private func receive(_ line: [UInt8]) {
        guard let value = try? JSONParser.parse(line) else { return }
        guard case .integer(let id)? = value["id"], let ok = value["ok"]?.boolValue else {
            pushQueue.yield(value)
            return
        }
        if ok {
            resolve(id, .success(value["result"] ?? .null))
        } else {
            let error = value["error"] ?? .null
            resolve(id, .failure(AccordClientError.server(
                code: error["code"]?.stringValue ?? "internal", message: error["message"]?.stringValue ?? "", error: error)))
        }
    }

    private func resolve(_ id: Int64, _ result: Result<JSONValue, any Error>) {
        let waiter = pending.withLock { $0.waiting.removeValue(forKey: id) }
        waiter?.fulfill(result)
    }

    private func fail(_ error: any Error) {
        let waiters = pending.withLock { state in
            state.closed = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for waiter in waiters { waiter.fulfill(.failure(error)) }
        pushQueue.finish()
    }
}

/// Why a request failed on the client side.
public enum AccordClientError: Error, Sendable, CustomStringConvertible {
    /// The server answered `"ok": false`.
    case server(code: String, message: String, error: JSONValue)
    /// The connection closed before the answer.
    case closed

    public var code: String? {
        if case .server(let code, _, _) = self { return code }
        return nil
    }

    public var description: String {
        switch self {
        case .server(let code, let message, _): "\(code): \(message)"
        case .closed: "the connection to the server closed"
        }
    }
}

/// A one-shot answer that may arrive before or after someone waits for it.
final class Promise: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<JSONValue, any Error>)
        case done(Result<JSONValue, any Error>)
    }

    private let state = Mutex(State.empty)

    func fulfill(_ result: Result<JSONValue, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<JSONValue, any Error>? in
            switch state {
            case .empty:
                state = .done(result)
                return nil
            case .waiting(let continuation):
                state = .done(result)
                return continuation
            case .done:
                return nil
            }
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> JSONValue {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<JSONValue, any Error>? in
                switch state {
                case .empty:
                    state = .waiting(continuation)
                    return nil
                case .done(let result): return result
                case .waiting: return .failure(AccordClientError.closed)
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
