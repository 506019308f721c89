import AccordCore
import AccordJSON

/// Every projection held in memory: agreements and law-enforcement figures,
/// the pure fold of a log prefix. Used to answer "as of" questions, to
/// rebuild the stored projections, and as the reference in tests.
public struct RegisterState: Sendable, Hashable {
    public var agreements: [String: Agreement] = [:]
    public var statistics = LawEnforcementStatistics()
    /// The log length folded so far: events `0..<position`.
    public var position: UInt64 = 0
    /// Agreements with an event this build cannot fold, by id (those with a
    /// state carry the same mark in `agreements`).
    public var damaged: [String: AgreementDamage] = [:]

    public init() {}

    /// Folds one recorded event. Events outside agreement streams (system
    /// streams, whose names start with `$`) only advance the position. An
    /// event that cannot be read marks its agreement damaged; it never
    /// stops the fold.
    public mutating func apply(_ recorded: RecordedEvent) {
        position = recorded.position + 1
        guard !recorded.stream.isSystem else { return }
        let id = recorded.stream.rawValue
        do {
            if recorded.type == "LawEnforcementAccessRecorded" {
                // Most of a log; fold the counted members in place.
                return recordAccess(
                    try AccessSummary(data: recorded.data), agreementId: id, version: recorded.version, position: recorded.position)
            }
            let event = try AgreementEvent(type: recorded.type, canonical: recorded.data)
            apply(event, id: id, context: EventContext(recorded))
        } catch {
            markDamaged(id, AgreementDamage(position: recorded.position, reason: error.description))
        }
    }

    /// Marks agreement `id` damaged at the first event that could not be folded.
    public mutating func markDamaged(_ id: String, _ damage: AgreementDamage) {
        guard damaged[id] == nil else { return }
        damaged[id] = damage
        agreements[id]?.damage = damage
    }

    /// Counts one law-enforcement request under agreement `id` (the replay
    /// fast path, from the few members the statistics read).
    public mutating func recordAccess(_ access: AccessSummary, agreementId id: String, version: UInt64, position: UInt64) {
        self.position = position + 1
        if damaged[id] == nil { agreements[id]?.recordAccess(access, version: version, position: position) }
        statistics.record(access)
    }

    /// Advances past an event outside agreement streams (a system stream's).
    public mutating func skip(position: UInt64) {
        self.position = position + 1
    }

    public mutating func apply(_ event: AgreementEvent, id: String, context: EventContext) {
        if damaged[id] == nil { agreements[id] = Agreement.evolve(agreements[id], event, id: id, context: context) }
        if case .lawEnforcementAccess(let access) = event { statistics.record(access.summary) }
    }

    /// The register on `date`, filtered, in reference order.
    public func register(on date: CalendarDate, filter: RegisterFilter = RegisterFilter()) -> [RegisterRow] {
        agreements.keys.sorted().compactMap { id in
            let row = RegisterRow(agreements[id]!, on: date)
            return filter.matches(row, on: date) ? row : nil
        }
    }
}

extension StreamName {
    /// System streams (`$audit` and the like) hold no agreement.
    public var isSystem: Bool { rawValue.hasPrefix("$") }
}
