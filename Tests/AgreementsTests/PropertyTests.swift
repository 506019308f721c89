import Agreements
import AgreementsTesting
import Testing

@Suite struct PropertyTests {
    /// Thousands of random sequences: whatever the rules accept, the fold
    /// keeps the register's invariants.
    @Test func acceptedHistoriesKeepTheInvariants() throws {
        var history = RandomHistory(seed: 7)
        var accepted = 0
        var refused = 0
        for _ in 0..<2_000 {
            var timeline = try Timeline()
            var accesses = 0
            var disclosed = 0
            for _ in 0..<20 {
                let event = timeline.state == nil && history.rng.next() % 2 == 0 ? Samples.proposal() : history.event()
                let before = timeline.state
                do {
                    try timeline.apply(event)
                    accepted += 1
                } catch {
                    refused += 1
                    continue
                }
                let after = try #require(timeline.state)
                if case .lawEnforcementAccess(let access) = event {
                    accesses += 1
                    if access.decision == .disclosed { disclosed += 1 }
                    #expect(before?.status == .approved)
                    #expect(after.recipient.category.isLawEnforcement)
                    #expect(Set(access.dataItemsDisclosed).isSubset(of: after.usableItems))
                    #expect(Set(access.dataItemsDisclosed).isDisjoint(with: DisclosurePolicy.standard.forbidden))
                }
                if after.status == .approved, before?.status == .proposed {
                    #expect(after.review?.outcome.permitsSharing == true)
                }
                if let before, before.status.isFinal { Issue.record("an event was accepted after \(before.status)") }
                #expect(after.lawEnforcement.requests == accesses)
                #expect(after.lawEnforcement.disclosures == disclosed)
            }
        }
        #expect(accepted > 5_000)
        #expect(refused > 5_000)
    }
}
