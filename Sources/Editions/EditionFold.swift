import AccordCore
import AccordJSON
import Agreements

/// The fold of a log prefix an edition is made from: the register state
/// (the same fold as the projections), each agreement's history, the
/// law-enforcement requests counted by sheet, month and requester, and,
/// when a previous edition is given, what it published and which rows
/// events recorded since then changed in periods it had already covered.
///
/// A pure function of the events folded, in position order: never of the
/// wall clock.
public struct EditionFold: Sendable {
    /// The previous edition this one is compared with.
    public struct Previous: Sendable, Hashable {
        public var size: UInt64
        public var date: CalendarDate

        public init(size: UInt64, date: CalendarDate) {
            self.size = size
            self.date = date
        }
    }

    public private(set) var state = RegisterState()
    var histories: [String: AgreementHistory] = [:]
    var lawEnforcement: [AccessRowKey: AccessTally] = [:]
    /// The date of the last event folded (the edition's date).
    public private(set) var lastDate: CalendarDate?
    public let previous: Previous?
    /// The previous edition's sheets, taken when the fold reached its size.
    public private(set) var previousSheets: [EditionSheet]?
    /// When the last event the previous edition covers was recorded: what
    /// takes effect before it belongs to a period that edition covered.
    var previousEnd: Timestamp?
    /// Rows touched by corrections (events after the previous edition that
    /// took effect on or before its date), by sheet name and row key, with the events' positions.
    var corrections: [String: [String: [UInt64]]] = [:]

    public init(previous: Previous? = nil) {
        self.previous = previous
        if previous?.size == 0 { previousSheets = sheets(on: previous!.date) }
    }

    /// The log length folded so far.
    public var size: UInt64 { state.position }

    /// Folds the next event. An event this build cannot read marks its
    /// agreement damaged, as in the projections; it never stops the fold.
    public mutating func apply(_ event: RecordedEvent) {
        defer {
            lastDate = CalendarDate(event.recordedAt)
            if let previous, previousSheets == nil, state.position == previous.size {
                previousSheets = sheets(on: previous.date)
                previousEnd = event.recordedAt
            }
        }
        guard !event.stream.isSystem else { return state.skip(position: event.position) }
        let id = event.stream.rawValue
        // A correction: recorded after the previous edition, effective in what it covered.
        let correcting = previousEnd.map { event.effectiveAt < $0 } ?? false
        do {
            if event.type == "LawEnforcementAccessRecorded" {
                let access = try AccessSummary(data: event.data, readingOrganisation: true)
                state.recordAccess(access, agreementId: id, version: event.version, position: event.position)
                let key = AccessRowKey(access, organisation: access.requesterOrganisation ?? "")
                lawEnforcement[key, default: AccessTally()].record(access)
                histories[id, default: AgreementHistory()].requests[key.month, default: AccessTally()].record(access)
                // A request counts in its request date's month, whenever it was recorded.
                if correcting || previousEnd.map({ access.requestDate < CalendarDate($0) }) == true {
                    touch(Self.sheetName(key.sheet), key: key.rowKey, position: event.position)
                }
                return
            }
            let decoded = try AgreementEvent(type: event.type, canonical: event.data)
            state.skip(position: event.position)
            state.apply(decoded, id: id, context: EventContext(event))
            histories[id, default: AgreementHistory()].record(decoded, event)
            if correcting {
                for sheet in EditionSheets.shareSheetNames { touch(sheet, key: id.publishedText, position: event.position) }
            }
        } catch {
            state.skip(position: event.position)
            state.markDamaged(id, AgreementDamage(position: event.position, reason: "\(error)"))
        }
    }

    private mutating func touch(_ sheet: String, key: String, position: UInt64) {
        corrections[sheet, default: [:]][key, default: []].append(position)
    }
}
