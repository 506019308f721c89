import AccordCore
import AccordJSON
import Synchronization
import WireProtocol

/// A projection (or several, under one position) and its changes, as an
/// `AsyncSequence`. After a reconnection it starts again with a fresh
/// snapshot, or, with `progress`, with the rows changed since the last
/// position delivered. One consumer at a time.
public final class ProjectionWatch: AsyncSequence, ResumableStream, Sendable {
    public typealias Element = WatchMessage

    private let client: AccordClient
    private let command: WatchCommand
    private let buffer: PushBuffer<WatchMessage>
    private let name = Mutex<(String, ClientConnection)?>(nil)
    /// With `progress`: the last position delivered, where a resumed watch starts.
    private let reached = Mutex<Position?>(nil)
    private let current = CurrentConnection()

    init(client: AccordClient, projections: [WatchedProjection], options: WatchOptions) {
        self.client = client
        command = WatchCommand(
            projections: projections.map(\.projection), tagged: projections.count > 1, on: options.on, since: options.since,
            progress: options.progress)
        reached.withLock { $0 = options.since }
        buffer = PushBuffer(limit: client.configuration.pushBufferLines) { [current] full in current.pressure(full) }
    }

    func start(on connection: ClientConnection) async throws {
        // A resumed watch with progress starts from the last position delivered.
        var resumed = command
        if command.progress, let since = reached.withLock({ $0 }) { resumed.since = since }
        _ = try await client.startStream(.watch(resumed), on: connection) { [self] result in
            guard case .string(let watch)? = result["watch"] else { return }
            name.withLock { $0 = (watch, connection) }
            current.set(connection)
            let position = Position(result["position"]?.int64Value ?? 0)
            if command.tagged {
                for (projection, rows) in result["rows"]?.objectValue ?? [:] {
                    for row in rows.arrayValue ?? [] { buffer.push(.row(position: position, row: row, projection: projection)) }
                }
            } else {
                buffer.push(.snapshot(position: position, rows: result["rows"]?.arrayValue ?? []))
            }
            if command.progress { delivered(WatchProgress(result)) }
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
            _ = try? await connection.request(Command.unwatch(name: watch), timeout: client.configuration.requestTimeout)
            connection.release(watch)
        }
        buffer.finish()
    }

    private func receive(_ line: JSONValue) {
        if let row = line["row"], case .integer(let position)? = line["position"] {
            buffer.push(.row(position: UInt64(position), row: row, projection: line["projection"]?.stringValue))
        } else if line["position"] != nil {
            delivered(WatchProgress(line))
        } else if line["closed"] == "damaged" {
            buffer.finish(ClientError.server(code: .damaged, message: line["message"]?.stringValue ?? "damaged", error: line))
        } else if line["closed"] != nil, client.configuration.reconnect == .never {
            buffer.finish(ClientError.connectionLost(serverSaid: "the server closed the watch: \(line["closed"]?.stringValue ?? "")"))
        }
    }

    private func delivered(_ progress: WatchProgress) {
        reached.withLock { $0 = progress.position }
        buffer.push(.progress(progress))
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

    /// Messages received and not yet taken: a consumer that batches its
    /// work (a copy into a database) takes them all before it commits.
    public var buffered: Int { buffer.count }
}

extension AccordClient {
    /// Watches a projection: its rows now, then each row that changes.
    public func watch(_ projection: WatchedProjection, on date: CalendarDate? = nil) async throws -> ProjectionWatch {
        try await watch([projection], WatchOptions(on: date))
    }

    /// Watches projections (one, or `register` and `lawEnforcementStats`
    /// together under one position) with `options`.
    public func watch(_ projections: [WatchedProjection], _ options: WatchOptions) async throws -> ProjectionWatch {
        let watch = ProjectionWatch(client: self, projections: projections, options: options)
        try await watch.start(on: try await connection())
        track(watch)
        return watch
    }
}
