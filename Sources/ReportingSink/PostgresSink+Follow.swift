import AccordClient
import AccordCore
import Foundation
import Logging

extension PostgresSink {
    /// Writes the watch's rows in transactions that end at its progress
    /// marks: one per mark when live, many marks' rows in one while there is
    /// more already received (catching up), up to `maxBatch` rows.
    func followProjections(_ client: AccordClient, into target: PostgresTarget, from state: SinkState, origin: String?) async throws {
        let options = WatchOptions(since: state.position > 0 ? state.position : nil, progress: true)
        let watch = try await client.watch([.register, .lawEnforcementStats], options)
        var batch = ProjectionBatch()
        var applied = state.position
        metrics.position.record(Int64(applied))
        for try await message in watch {
            switch message {
            case .snapshot: break  // a watch of several delivers its answer as rows
            case .row(_, let row, let projection): batch.add(row, projection: projection)
            case .progress(let mark):
                batch.mark = mark
                metrics.seen(mark.position, applied: applied)
                guard watch.buffered == 0 || batch.rowCount >= configuration.maxBatch else { continue }
                if try await target.apply(batch, origin: origin) {
                    record(batch, from: applied)
                    applied = mark.position
                }
                batch = ProjectionBatch()
            }
        }
        throw ClientError.connectionLost(serverSaid: "the watch ended")
    }

    private func record(_ batch: ProjectionBatch, from applied: Position) {
        guard let mark = batch.mark else { return }
        metrics.transactions.increment()
        metrics.eventsApplied.increment(by: Int64(mark.position - min(applied, mark.position)))
        metrics.registerRows.increment(by: Int64(batch.register.count))
        metrics.statisticsRows.increment(by: Int64(batch.statistics.count))
        metrics.position.record(Int64(mark.position))
        metrics.lagPositions.record(0)
        if let recordedAt = mark.recordedAt {
            metrics.lagSeconds.record(max(0, Double(Timestamp.now().microseconds - recordedAt.microseconds) / 1e6))
        }
    }

    /// Copies request events (auditor only) on a connection of its own,
    /// from the position where the last run stopped; each is keyed by
    /// position. One batch is written while the next is gathered and put
    /// into columns (at most one transaction in flight, so they commit in order).
    func followRequests(_ client: AccordClient, from start: Position) async throws {
        let subscription: EventSubscription
        do {
            subscription = try await client.subscribe(from: .position(start), filter: EventFilter(types: ["LawEnforcementAccessRecorded"]))
        } catch ClientError.server(let code, let message, _) where code == .forbidden {
            throw SinkError.configuration(
                "--include-law-enforcement-requests needs an auditor token (the server said: \(message)); without it the sink copies no request details"
            )
        }
        try await PostgresTarget.with(configuration.postgres, schema: configuration.schema, primary: false, logger: logger) { target in
            try await withThrowingTaskGroup(of: Void.self) { writing in
                var events: [RecordedEvent] = []
                var reached = start
                var inFlight = false
                for try await message in subscription {
                    switch message {
                    case .event(let event):
                        events.append(event)
                        reached = event.position + 1
                    case .caughtUp(let position): reached = max(reached, position)
                    }
                    guard subscription.buffered == 0 || events.count >= configuration.maxBatch else { continue }
                    let (columns, through) = (try RequestColumns(events), reached)
                    events.removeAll(keepingCapacity: true)
                    if inFlight { try await writing.next() }
                    inFlight = true
                    writing.addTask { [metrics] in
                        try await target.apply(requests: columns, reached: through)
                        metrics.requestRows.increment(by: Int64(columns.count))
                        metrics.transactions.increment()
                    }
                }
                try await writing.waitForAll()
            }
        }
        throw ClientError.connectionLost(serverSaid: "the subscription ended")
    }

    /// Judges effective status and review due again when the date changes
    /// while no event arrives (each batch also does when it finds a new day).
    func judgeDaily() async throws {
        while true {
            try await Task.sleep(for: .seconds(60))
            try await PostgresTarget.with(configuration.postgres, schema: configuration.schema, primary: false, logger: logger) {
                try await $0.rejudgeIfNewDay()
            }
        }
    }
}
