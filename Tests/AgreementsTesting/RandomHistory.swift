import AccordCore
import AccordTesting
import Agreements

/// Draws plausible events, valid and invalid, for property tests (and the
/// histories the PostgreSQL sink copies).
public struct RandomHistory {
    public var rng: SplitMix64

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    public mutating func pick<T>(_ choices: [T]) -> T { choices[Int(rng.next() % UInt64(choices.count))] }

    public mutating func day() -> String {
        let month = Int(rng.next() % 24)
        return "\(2025 + month / 12)-\(String(format2: month % 12 + 1))-\(String(format2: Int(rng.next() % 28) + 1))"
    }

    public mutating func event() -> AgreementEvent {
        switch rng.next() % 12 {
        case 0:
            return Samples.proposal(
                pick([Samples.police, Samples.university]),
                items: pick([["name", "address"], ["name", "nationality"], ["name", "ks4_results"]]))
        case 1: return Samples.review(pick(["dpa-2018-s2p2", "ed-ipi-2009", "hera-2017"]), outcome: pick(ReviewOutcome.allCases))
        case 2:
            var safes = Samples.allMet
            if rng.next() % 4 == 0 { safes.outputs = .init(.notMet) }
            return Samples.approval(start: pick(["2025-01-01", "2025-06-01"]), end: pick(["2025-12-31", "2026-06-30"]), safes: safes)
        case 3: return pick([Samples.rejection, Samples.withdrawal])
        case 4: return Samples.renewal(to: pick(["2025-10-01", "2026-12-31", "2027-06-30"]))
        case 5:
            return Samples.amendment(
                items: pick([nil, ["name", "address", "date_of_birth"], ["name"]]), purpose: pick([nil, "New purpose"]))
        case 6: return pick([Samples.suspension, Samples.reinstatement])
        case 7: return Samples.revocation(on: day())
        default:
            return Samples.access(
                on: day(), disclosed: pick([["name"], ["name", "address"], ["date_of_birth"], ["nationality"]]),
                decision: pick(AccessDecision.allCases), requester: pick(RequesterType.allCases),
                requested: Int(rng.next() % 50) + 1, matched: 1, subjects: 1)
        }
    }
}

extension String {
    public init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
