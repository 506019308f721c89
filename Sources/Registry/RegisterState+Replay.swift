import AccordCore
import Agreements
import EventStore

extension RegisterState {
    /// Folds one stored event read in place: the fast path for replays. A
    /// law-enforcement request (most of a log) is counted from the few
    /// members the statistics read, without decoding the whole event. An
    /// event this build cannot read marks its agreement damaged.
    public mutating func apply(_ record: borrowing RecordView) {
        guard !record.isInSystemStream else { return skip(position: record.position) }
        do {
            guard record.hasType("LawEnforcementAccessRecorded") else {
                let recorded = record.decode()
                let event = try AgreementEvent(type: recorded.type, canonical: recorded.data)
                skip(position: recorded.position)
                return apply(event, id: recorded.stream.rawValue, context: EventContext(recorded))
            }
            let access = try record.withData { data throws(AgreementError) in try AccessSummary(canonical: data) }
            recordAccess(access, agreementId: record.streamName, version: record.version, position: record.position)
        } catch {
            skip(position: record.position)
            markDamaged(record.streamName, AgreementDamage(position: record.position, reason: "\(error)"))
        }
    }
}

extension RegisterDelta {
    /// Folds one stored event read in place, like `RegisterState.apply`.
    mutating func apply(_ record: borrowing RecordView) {
        guard !record.isInSystemStream else { return skip(position: record.position) }
        do {
            guard record.hasType("LawEnforcementAccessRecorded") else {
                let recorded = record.decode()
                let event = try AgreementEvent(type: recorded.type, canonical: recorded.data)
                return apply(event, agreementId: recorded.stream.rawValue, context: EventContext(recorded))
            }
            let access = try record.withData { data throws(AgreementError) in try AccessSummary(canonical: data) }
            recordAccess(access, agreementId: record.streamName, version: record.version, position: record.position)
        } catch {
            markDamaged(record.streamName, AgreementDamage(position: record.position, reason: "\(error)"))
        }
    }
}
