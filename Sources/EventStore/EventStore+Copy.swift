import AccordCore

extension EventStore {
    /// Writes events copied from another log at the positions, versions,
    /// commit times and principals they have there, with their canonical
    /// bytes: a replica's log, projections and Merkle tree then equal the
    /// primary's. Returns the head after them.
    ///
    /// The events must continue this log: the first at the head when the
    /// copy is written, each stream's at its next version. They are one
    /// request, written whole or not at all, in the next group commit (with
    /// one sync). The append hook validates and projects them run by run
    /// (one stream's consecutive events, as the primary's requests were); an
    /// event it refuses fails the copy, and is thrown.
    ///
    /// With `projecting: false` (a bulk catch-up) the
    /// hook neither checks nor projects the events, which is several times
    /// faster; the projections stay at the position before them, and every
    /// later append or projecting copy is refused until they are rebuilt
    /// (`Registry.attach`).
    public func copy(_ events: [RecordedEvent], projecting: Bool = true) async throws -> Position {
        guard !events.isEmpty else { return head }
        let request = try Self.copyRequest(events, projecting: projecting, merkleTree: hasMerkleTree)
        let result: AppendResult = try await withCheckedThrowingContinuation { continuation in
            committer.submit(PendingAppend(request: request, executor: nil) { continuation.resume(with: $0) })
        }
        try await waitUntilReadable(result.positions.upperBound)
        return result.positions.upperBound
    }

    /// The request that writes `events` (not empty) as they are recorded.
    static func copyRequest(_ events: [RecordedEvent], projecting: Bool, merkleTree: Bool) throws -> AppendRequest {
        let newEvents = events.map(NewEvent.init(copying:))
        var request = AppendRequest(stream: events[0].stream, expected: .any, events: newEvents, principal: nil)
        // The hook folds copies without deciding them (`AppendHook.didCopy`): nothing to prepare.
        request.copy = CopyOrigin(events: events, runStarts: try runStarts(of: events), projecting: projecting)
        if merkleTree { request.leafHeads = newEvents.map { $0.leafHead() } }
        return request
    }

    /// Where each run begins: consecutive positions of one stream with
    /// consecutive versions, one commit time and one principal.
    private static func runStarts(of events: [RecordedEvent]) throws -> [Int] {
        var starts = [0]
        for index in events.indices.dropFirst() {
            let (previous, event) = (events[index - 1], events[index])
            guard event.position == previous.position + 1 else {
                throw EventStoreError.invalidRequest("copied events skip from position \(previous.position) to \(event.position)")
            }
            if event.stream != previous.stream || event.version != previous.version + 1 || event.recordedAt != previous.recordedAt
                || event.principal != previous.principal
            {
                starts.append(index)
            }
        }
        return starts
    }
}

extension NewEvent {
    /// The event as its appender gave it, from its recorded form.
    init(copying event: RecordedEvent) {
        self.init(eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, occurredAt: event.occurredAt)
    }
}
