import AccordCore
import AccordJSON
import Synchronization
import WireProtocol

/// The log from a position, as an `AsyncSequence`: catch-up, then live
/// events, with no gap and no duplicate, across reconnections (it resumes
/// from the event after the last one delivered). One consumer at a time.
///
/// End it with `cancel()` (or by leaving the client's scope). It ends with
/// an error when the client can no longer reconnect, or when the server
/// closes it for good.
public final class EventSubscription: AsyncSequence, ResumableStream, Sendable {
    public typealias Element = SubscriptionMessage

    private struct State {
        /// The position to resume from: after the last event, or the caught-up head.
        var next: SubscriptionStart
        var caughtUp = false
        var name: String?
        var connection: ClientConnection?
    }

    private let client: AccordClient
    private let selection: EventSelection
    private let buffer: PushBuffer<SubscriptionMessage>
    private let state: Mutex<State>
    /// The connection it runs on, which its buffer asks to pause reading.
    private let current = CurrentConnection()

    init(client: AccordClient, from start: SubscriptionStart, selection: EventSelection) {
        self.client = client
        self.selection = selection
        buffer = PushBuffer(limit: client.configuration.pushBufferLines) { [current] full in current.pressure(full) }
        state = Mutex(State(next: start))
    }

    /// The server's name for it on the current connection (`s1`, …).
    public var name: String? { state.withLock { $0.name } }

    /// Starts (or restarts) it on `connection` from where it stopped.
    func start(on connection: ClientConnection) async throws {
        let command = SubscribeCommand(from: state.withLock { $0.next }.command, selection: selection)
        _ = try await client.startStream(.subscribe(command), on: connection) { [self] result in
            guard case .string(let name)? = result["sub"] else { return }
            state.withLock {
                $0.name = name
                $0.connection = connection
            }
            current.set(connection)
            connection.claim(name) { [self] line in receive(line) }
            connection.claimEvents(name) { [self] bytes in receive(event: bytes) }
        }
    }

    func resume(on connection: ClientConnection) async {
        do {
            try await start(on: connection)
        } catch {
            // The new connection dropped too; the client tries again or ends us.
        }
    }

    func end(_ error: ClientError) {
        buffer.finish(error)
    }

    /// Unsubscribes and ends the sequence after what was delivered.
    public func cancel() async {
        client.untrack(self)
        let (name, connection) = state.withLock { ($0.name, $0.connection) }
        if let name, let connection {
            _ = try? await connection.request(Command.unsubscribe(name: name), timeout: client.configuration.requestTimeout)
            connection.release(name)
        }
        buffer.finish()
    }

    /// Runs on the event loop for each pushed event, as bytes: read in
    /// place (`RecordedEvent(wireBytes:)`), else parsed.
    private func receive(event bytes: UnsafeRawBufferPointer) {
        guard let recorded = RecordedEvent(wireBytes: bytes) ?? (try? JSONParser.parse(bytes)).flatMap({ try? RecordedEvent(json: $0) })
        else {
            return buffer.finish(ClientError.unexpectedAnswer("a pushed event does not decode"))
        }
        state.withLock { $0.next = .position(recorded.position + 1) }
        buffer.push(.event(recorded))
    }

    /// Runs on the event loop for each pushed line of this subscription.
    private func receive(_ line: JSONValue) {
        if let event = line["event"] {
            guard let recorded = try? RecordedEvent(json: event) else {
                return buffer.finish(ClientError.unexpectedAnswer("a pushed event does not decode"))
            }
            state.withLock { $0.next = .position(recorded.position + 1) }
            buffer.push(.event(recorded))
        } else if case .integer(let head)? = line["caught_up"] {
            let first = state.withLock { state -> Bool in
                if case .position(let next) = state.next, next >= UInt64(head) {} else { state.next = .position(UInt64(head)) }
                defer { state.caughtUp = true }
                return !state.caughtUp
            }
            if first { buffer.push(.caughtUp(UInt64(head))) }
        } else if line["closed"] == "damaged" {
            // Never resumed past damage: the events after it are not known to be whole.
            buffer.finish(ClientError.server(code: .damaged, message: line["message"]?.stringValue ?? "damaged", error: line))
        } else if line["closed"] != nil, client.configuration.reconnect == .never {
            buffer.finish(
                ClientError.connectionLost(serverSaid: "the server closed the subscription: \(line["closed"]?.stringValue ?? "")"))
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let buffer: PushBuffer<SubscriptionMessage>

        public mutating func next() async throws -> SubscriptionMessage? {
            try await buffer.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(buffer: buffer)
    }

    /// Messages received and not yet taken (for consumers that batch).
    public var buffered: Int { buffer.count }
}

extension AccordClient {
    /// Subscribes to the log from `start`; events arrive through the returned sequence.
    public func subscribe(from start: SubscriptionStart = .end, filter: EventFilter = EventFilter()) async throws -> EventSubscription {
        let subscription = EventSubscription(client: self, from: start, selection: try filter.selection())
        try await subscription.start(on: try await connection())
        track(subscription)
        return subscription
    }
}
