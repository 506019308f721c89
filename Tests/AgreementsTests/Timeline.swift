import Agreements
import AgreementsTesting

/// Folds events through the rules, as the store does: the first refusal stops.
struct Timeline {
    let id = "DSA-0042"
    let rules = AgreementRules()
    var state: Agreement?
    var version: UInt64 = 0

    init(_ events: [AgreementEvent] = []) throws {
        for event in events { try apply(event) }
    }

    mutating func apply(_ event: AgreementEvent) throws(AgreementError) {
        try rules.decide(event, id: id, state: state)
        state = Agreement.evolve(
            state, event, id: id, context: EventContext(position: version, version: version, effectiveDate: date("2025-01-01")))
        version += 1
    }

    func check(_ event: AgreementEvent) throws(AgreementError) { try rules.decide(event, id: id, state: state) }
}
