/// What a later stretch of the log adds to a `RegisterState`, folded without
/// knowing the state before it, so that two stretches can be folded at once.
///
/// It works because a law-enforcement request only adds to counters and
/// moves an agreement's version, and lifecycle events never read counters:
/// lifecycle events are kept in order and replayed onto the earlier state;
/// counters are summed; the last version and position win.
public struct RegisterDelta: Sendable {
    var lifecycle: [(id: String, event: AgreementEvent, context: EventContext)] = []
    /// Per agreement: its requests' counts, and its last event (one lookup per request).
    var touched: [String: Touched] = [:]
    var statistics = LawEnforcementStatistics()
    /// The log length covered: events up to `position - 1`.
    public var position: UInt64 = 0
    /// Agreements with an event this stretch could not fold; their later events are left out.
    var damaged: [String: AgreementDamage] = [:]

    public init() {}

    /// Counts one law-enforcement request under agreement `id`.
    public mutating func recordAccess(_ access: AccessSummary, agreementId id: String, version: UInt64, position: UInt64) {
        self.position = position + 1
        if damaged[id] == nil { touched[id, default: Touched()].record(access, version: version, position: position) }
        statistics.record(access)
    }

    /// Keeps a lifecycle event, to replay onto the state before this stretch.
    public mutating func apply(_ event: AgreementEvent, agreementId id: String, context: EventContext) {
        position = context.position + 1
        guard damaged[id] == nil else { return }
        touched[id, default: Touched()].last = (context.version, context.position)
        lifecycle.append((id, event, context))
    }

    /// Marks agreement `id` damaged at an event this stretch could not fold.
    public mutating func markDamaged(_ id: String, _ damage: AgreementDamage) {
        position = max(position, damage.position + 1)
        if damaged[id] == nil { damaged[id] = damage }
    }

    /// Advances past an event outside agreement streams (a system stream's).
    public mutating func skip(position: UInt64) {
        self.position = position + 1
    }

    /// Appends a delta folded from the stretch of log right after this one.
    public mutating func append(_ later: RegisterDelta) {
        let damagedBefore = damaged
        lifecycle += later.lifecycle.filter { damagedBefore[$0.id] == nil }
        for (id, later) in later.touched where damagedBefore[id] == nil {
            touched[id, default: Touched()].counts.add(later.counts)
            if let last = later.last { touched[id]!.last = last }
        }
        for (id, damage) in later.damaged where damaged[id] == nil { damaged[id] = damage }
        statistics.add(later.statistics)
        position = max(position, later.position)
    }
}

extension RegisterDelta {
    /// What a stretch did to one agreement: its requests' counts, and its last event.
    struct Touched: Sendable {
        var counts = LawEnforcementCounts()
        var last: (version: UInt64, position: UInt64)?

        mutating func record(_ access: AccessSummary, version: UInt64, position: UInt64) {
            counts.record(access)
            last = (version, position)
        }
    }
}

extension RegisterState {
    /// Appends a delta folded from the stretch of log right after this state.
    public mutating func merge(_ delta: RegisterDelta) {
        let damagedBefore = damaged
        for (id, event, context) in delta.lifecycle { apply(event, id: id, context: context) }
        for (id, touched) in delta.touched where damagedBefore[id] == nil {
            agreements[id]?.lawEnforcement.add(touched.counts)
            if let last = touched.last {
                agreements[id]?.version = last.version
                agreements[id]?.lastPosition = last.position
            }
        }
        for (id, damage) in delta.damaged { markDamaged(id, damage) }
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
