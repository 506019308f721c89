import AccordCore
import Synchronization

extension EventStore {
    /// Writes events copied from another log at the positions, versions,
    /// commit times and principals they have there, with their canonical
    /// bytes: a replica's log, projections and Merkle tree then equal the
    /// primary's. Returns the head after them.
    ///
    /// The events must continue this log: the first at the head, each
    /// stream's at its next version. The append hook validates and projects
    /// them as it would the primary's appends; an event it refuses, or one
    /// that does not continue the log, stops the copy there (everything
    /// before it is kept) and is thrown. Consecutive events of one stream
    /// and commit become one request, and all of them one group commit
    /// (split only by the store's batch limits), with one sync.
    ///
    /// With `projecting: false` (a bulk catch-up) the hook neither checks
    /// nor projects the events, which is several times faster; the
    /// projections then stay at the position before them, and every later
    /// append or projecting copy is refused until they are rebuilt
    /// (`Registry.attach`). One copier at a time: a replica's follower.
    public func copy(_ events: [RecordedEvent], projecting: Bool = true) async throws -> Position {
        guard !events.isEmpty else { return head }
        // Later requests of the batch check their own positions; the first is checked here too, so that a batch that
        // starts elsewhere writes nothing (its later requests could otherwise land at the head).
        guard events[0].position == head else {
            throw EventStoreError.invalidRequest("copied events start at position \(events[0].position), not at the head \(head)")
        }
        let requests = try Self.runs(of: events).map { run in
            let first = run[run.startIndex]
            var request = AppendRequest(
                stream: first.stream, expected: .any, events: run.map(NewEvent.init(copying:)), principal: first.principal)
            request.copy = CopyOrigin(
                position: first.position, version: first.version, recordedAt: first.recordedAt, projecting: projecting)
            if projecting { request.prepared = try hook?.prepare(request.events, parsed: nil, for: request.stream) }
            if hasMerkleTree { request.leafHeads = request.events.map { $0.leafHead() } }
            return request
        }
        let outcome = Mutex<(remaining: Int, failure: (index: Int, error: any Error)?)>((requests.count, nil))
        let last = events[events.count - 1].position
        return try await withCheckedThrowingContinuation { continuation in
            let pending = requests.enumerated().map { index, request in
                PendingAppend(request: request, executor: nil) { result in
                    let done = outcome.withLock { state -> (Int, failure: (index: Int, error: any Error)?)? in
                        if case .failure(let error) = result, index < state.failure?.index ?? .max { state.failure = (index, error) }
                        state.remaining -= 1
                        return state.remaining == 0 ? (0, state.failure) : nil
                    }
                    guard let done else { return }
                    if let failure = done.failure {
                        continuation.resume(throwing: failure.error)
                    } else {
                        continuation.resume(returning: last + 1)
                    }
                }
            }
            committer.submit(pending, inlineUpTo: 0, on: nil)
        }
    }

    /// Splits `events` into requests as the primary could have made them:
    /// consecutive positions of one stream, consecutive versions, one commit
    /// time and one principal.
    private static func runs(of events: [RecordedEvent]) throws -> [ArraySlice<RecordedEvent>] {
        var runs: [ArraySlice<RecordedEvent>] = []
        var start = events.startIndex
        for index in events.indices.dropFirst() {
            let (previous, event) = (events[index - 1], events[index])
            guard event.position == previous.position + 1 else {
                throw EventStoreError.invalidRequest("copied events skip from position \(previous.position) to \(event.position)")
            }
            if event.stream != previous.stream || event.version != previous.version + 1 || event.recordedAt != previous.recordedAt
                || event.principal != previous.principal
            {
                runs.append(events[start..<index])
                start = index
            }
        }
        runs.append(events[start...])
        return runs
    }
}

extension NewEvent {
    /// The event as its appender gave it, from its recorded form.
    init(copying event: RecordedEvent) {
        self.init(eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, occurredAt: event.occurredAt)
    }
}
