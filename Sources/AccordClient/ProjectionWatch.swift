import AccordCore
import AccordJSON
import Synchronization

/// A projection and its changes, as an `AsyncSequence`. After a reconnection
/// it starts again with a fresh `snapshot`. One consumer at a time.
public final class ProjectionWatch: AsyncSequence, ResumableStream, Sendable {
    public typealias Element = WatchMessage

    private let client: AccordClient
    private let members: [String: JSONValue]
    private let buffer: PushBuffer<WatchMessage>
    private let name = Mutex<(String, ClientConnection)?>(nil)
    private let current = CurrentConnection()

    init(client: AccordClient, projection: WatchedProjection, on date: CalendarDate?) {
        self.client = client
        var members = projection.members
        if let date { members["on"] = .string(date.description) }
        self.members = members
        buffer = PushBuffer(limit: client.configuration.pushBufferLines) { [current] full in current.pressure(full) }
    }

    func start(on connection: ClientConnection) async throws {
        _ = try await client.startStream("watch", members, on: connection) { [self] result in
            guard case .string(let watch)? = result["watch"] else { return }
            name.withLock { $0 = (watch, connection) }
            current.set(connection)
            buffer.push(.snapshot(position: UInt64(result["position"]?.int64Value ?? 0), rows: result["rows"]?.arrayValue ?? []))
            connection.claim(watch) { [self] line in receive(line) }
        }
    }

    func resume(on connection: ClientConnection) async {
        try? await start(on: connection)
    }

    func end(_ error: ClientError) {
        buffer.finish(error)
    }

    /// Stops watching and ends the sequence after what was delivered.
    public func cancel() async {
        client.untrack(self)
        if let (watch, connection) = name.withLock({ $0 }) {
            _ = try? await connection.request("unwatch", ["watch": .string(watch)], timeout: client.configuration.requestTimeout)
            connection.release(watch)
        }
        buffer.finish()
    }

    private func receive(_ line: JSONValue) {
        if let row = line["row"], case .integer(let position)? = line["position"] {
            buffer.push(.row(position: UInt64(position), row: row))
        } else if line["closed"] != nil, client.configuration.reconnect == .never {
            buffer.finish(ClientError.connectionLost(serverSaid: "the server closed the watch: \(line["closed"]?.stringValue ?? "")"))
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let buffer: PushBuffer<WatchMessage>

        public mutating func next() async throws -> WatchMessage? {
            try await buffer.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(buffer: buffer)
    }
}

extension AccordClient {
    /// Watches a projection: its rows now, then each row that changes.
    public func watch(_ projection: WatchedProjection, on date: CalendarDate? = nil) async throws -> ProjectionWatch {
        let watch = ProjectionWatch(client: self, projection: projection, on: date)
        try await watch.start(on: try await connection())
        track(watch)
        return watch
    }
}
