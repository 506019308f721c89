import AccordCore
import AccordTesting
import Agreements
import AgreementsTesting
import EventStore
import Registry
import Testing

@Suite struct RegistryPropertyTests {
    let fixture = RegistryFixture()

    /// A long random history through the real store: the store accepts exactly
    /// what the rules accept, and the stored projections equal both a fold of
    /// the accepted events and a rebuild from the log.
    @Test func projectionsEqualAFoldOfTheAcceptedEventsAndARebuild() async throws {
        let (store, registry) = try fixture.open()
        var rng = SplitMix64(seed: 2026)
        func pick<T>(_ choices: [T]) -> T { choices[Int(rng.next() % UInt64(choices.count))] }
        let rules = AgreementRules()
        var model = RegisterState()
        var accepted = 0
        var refused = 0
        for _ in 0..<1_500 {
            let id = "DSA-\(rng.next() % 120)"
            let event = RandomEvents.draw(&rng, fresh: model.agreements[id] == nil)
            let day = pick(["2025-01-15", "2025-05-20", "2025-09-30", "2026-02-01"])
            let verdict = Result { () throws(AgreementError) in try rules.decide(event, id: id, state: model.agreements[id]) }
            do {
                let result = try await store.append(id, event, on: day)
                accepted += 1
                if case .failure(let error) = verdict { Issue.record("the store accepted what the rules refuse: \(error)") }
                model.apply(
                    event, id: id,
                    context: EventContext(position: result.positions.lowerBound, version: result.streamVersion, effectiveDate: date(day)))
                model.position = result.positions.upperBound
            } catch let error as AgreementError {
                refused += 1
                if case .success = verdict { Issue.record("the store refused what the rules accept: \(error)") }
            }
        }
        #expect(accepted > 300)
        #expect(refused > 300)
        let stored = try registry.storedState(store)
        #expect(stored == model)
        #expect(try registry.fold(store) == model)
        // The two-thread fold of long logs, forced onto this short one, agrees too.
        #expect(try registry.fold(store, parallelFrom: 2) == model)
        for end in [1, 2, 77, 500, 1_000] {
            #expect(try registry.fold(store, upTo: Position(end), parallelFrom: 2) == registry.fold(store, upTo: Position(end)))
        }
        #expect(stored.position == store.head)
        try expectStoredRegisterQueries(store, registry, equal: model)
        try registry.rebuild(store)
        try expectStoredRegisterQueries(store, registry, equal: model)
    }

    /// Filtered register queries read indexes (recipient, end date): they
    /// answer exactly what filtering the whole folded register answers,
    /// whatever renewals and amendments moved the end dates to.
    func expectStoredRegisterQueries(_ store: EventStore, _ registry: Registry, equal model: RegisterState) throws {
        let filters =
            [RegisterFilter(), RegisterFilter(recipientId: Samples.police.id), RegisterFilter(status: .inForce)]
            + [0, 1, 30, 200, 400, 900].map { RegisterFilter(expiringWithinDays: $0) }
            + [RegisterFilter(recipientId: Samples.university.id, expiringWithinDays: 400)]
        var matched = 0
        for day in ["2025-01-01", "2025-06-30", "2025-12-31", "2026-06-01", "2027-06-30"] {
            for filter in filters {
                let stored = try store.read { try registry.register(on: date(day), filter: filter, in: $0) }
                let expected = model.register(on: date(day), filter: filter)
                #expect(stored == expected, "on \(day) with \(filter)")
                if filter.expiringWithinDays != nil { matched += expected.count }
            }
        }
        #expect(matched > 10, "the expiring filters should select some rows")
    }
}

/// The same draws as the domain's property test, for the store.
enum RandomEvents {
    static func draw(_ rng: inout SplitMix64, fresh: Bool) -> AgreementEvent {
        func pick<T>(_ choices: [T]) -> T { choices[Int(rng.next() % UInt64(choices.count))] }
        if fresh, rng.next() % 3 != 0 { return Samples.proposal(pick([Samples.police, Samples.university])) }
        switch rng.next() % 10 {
        case 0: return Samples.review(pick(["dpa-2018-s2p2", "ed-ipi-2009"]), outcome: pick(ReviewOutcome.allCases))
        case 1: return Samples.approval(end: pick(["2025-12-31", "2026-06-30"]))
        case 2:
            return pick([
                Samples.rejection, Samples.withdrawal, Samples.suspension, Samples.reinstatement, Samples.suspension, Samples.reinstatement,
                Samples.review(), Samples.approval(),
            ])
        case 3: return Samples.renewal(to: pick(["2026-12-31", "2027-06-30"]))
        case 4: return Samples.amendment(items: pick([nil, ["name", "address", "date_of_birth", "school"]]))
        case 5: return Samples.revocation(on: pick(["2025-06-01", "2026-01-01"]))
        default:
            return Samples.access(
                on: pick(["2025-02-01", "2025-08-01", "2026-03-01"]), disclosed: pick([["name"], ["date_of_birth"], ["nationality"]]),
                decision: pick(AccessDecision.allCases), requester: pick(RequesterType.allCases))
        }
    }
}
