import EventStore

/// What a later stretch of the log adds to a `RegisterState`, folded without
/// knowing the state before it, so that two stretches can be folded at once.
///
/// It works because a law-enforcement request only adds to counters and
/// moves an agreement's version, and lifecycle events never read counters:
/// lifecycle events are kept in order and replayed onto the earlier state;
/// counters are summed; the last version and position win.
public struct RegisterDelta: Sendable {
    var lifecycle: [(id: String, event: AgreementEvent, context: EventContext)] = []
    var counts: [String: LawEnforcementCounts] = [:]
    var last: [String: (version: UInt64, position: UInt64)] = [:]
    var statistics = LawEnforcementStatistics()
    /// The log length covered: events up to `position - 1`.
    public var position: UInt64 = 0

    public init() {}

    public mutating func apply(_ record: RecordView) throws {
        position = record.position + 1
        guard record.stream.first != UInt8(ascii: "$") else { return }
        let id = String(decoding: record.stream, as: UTF8.self)
        last[id] = (record.version, record.position)
        if record.hasType("LawEnforcementAccessRecorded") {
            let access = try AccessSummary(canonical: record.data)
            counts[id, default: LawEnforcementCounts()].record(access)
            statistics.record(access)
        } else {
            let recorded = record.decode()
            lifecycle.append((id, try AgreementEvent(type: recorded.type, canonical: recorded.data), EventContext(recorded)))
        }
    }
}

extension RegisterState {
    /// Appends a delta folded from the stretch of log right after this state.
    public mutating func merge(_ delta: RegisterDelta) {
        for (id, event, context) in delta.lifecycle { apply(event, id: id, context: context) }
        for (id, counts) in delta.counts { agreements[id]?.lawEnforcement.add(counts) }
        for (id, last) in delta.last {
            agreements[id]?.version = last.version
            agreements[id]?.lastPosition = last.position
        }
        statistics.add(delta.statistics)
        position = max(position, delta.position)
    }
}

extension LawEnforcementCounts {
    mutating func add(_ other: LawEnforcementCounts) {
        requests += other.requests
        disclosures += other.disclosures
        refusals += other.refusals
        noMatches += other.noMatches
        subjectsRequested += other.subjectsRequested
        subjectsDisclosed += other.subjectsDisclosed
    }
}
