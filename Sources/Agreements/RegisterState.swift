import AccordJSON
import EventStore

/// Every projection held in memory: agreements and law-enforcement figures,
/// the pure fold of a log prefix. Used to answer "as of" questions, to
/// rebuild the stored projections, and as the reference in tests.
public struct RegisterState: Sendable, Hashable {
    public var agreements: [String: Agreement] = [:]
    public var statistics = LawEnforcementStatistics()
    /// The log length folded so far: events `0..<position`.
    public var position: UInt64 = 0

    public init() {}

    /// Folds one recorded event. Events outside agreement streams (system
    /// streams, whose names start with `$`) only advance the position.
    public mutating func apply(_ recorded: RecordedEvent) throws {
        position = recorded.position + 1
        guard !recorded.stream.isSystem else { return }
        let id = recorded.stream.rawValue
        if recorded.type == "LawEnforcementAccessRecorded" {
            // Most of a log; fold the counted members in place.
            let access = try AccessSummary(data: recorded.data)
            agreements[id]?.recordAccess(access, version: recorded.version, position: recorded.position)
            statistics.record(access)
            return
        }
        let event = try AgreementEvent(type: recorded.type, canonical: recorded.data)
        apply(event, id: id, context: EventContext(recorded))
    }

    /// Folds one stored event read in place: the fast path for replays.
    public mutating func apply(_ record: RecordView) throws {
        position = record.position + 1
        guard record.stream.first != UInt8(ascii: "$") else { return }
        guard record.hasType("LawEnforcementAccessRecorded") else {
            let recorded = record.decode()
            let event = try AgreementEvent(type: recorded.type, canonical: recorded.data)
            apply(event, id: recorded.stream.rawValue, context: EventContext(recorded))
            return
        }
        let access = try AccessSummary(canonical: record.data)
        let id = String(decoding: record.stream, as: UTF8.self)
        agreements[id]?.recordAccess(access, version: record.version, position: record.position)
        statistics.record(access)
    }

    public mutating func apply(_ event: AgreementEvent, id: String, context: EventContext) {
        agreements[id] = Agreement.evolve(agreements[id], event, id: id, context: context)
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
