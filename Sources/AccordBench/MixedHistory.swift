import AccordCore
import AccordJSON
import Agreements
import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import LMDB
import Registry

/// 10,000 agreements (a third of them with police, Home Office or court),
/// each proposed, reviewed and approved, then law-enforcement requests,
/// renewals, amendments and suspensions mixed in until the event count.
struct MixedHistory {
    let agreements: Int
    let events: Int

    func append(to store: EventStore, appenders: Int, progress: @escaping @Sendable (Int) -> Void) async throws {
        let lifecycle = agreements * 3
        // Clients send prepared JSON; encoding it here would only compete with
        // the server for the same two cores.
        var generator = SystemRandomNumberGenerator()
        let requests = (0..<4_096).map { i in Self.newEvent(Self.ongoing(i * 100 + 2, &generator)).data }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<appenders {
                group.addTask {
                    // Each worker owns the agreements congruent to it, so its appends never race.
                    var rng = SystemRandomNumberGenerator()
                    let mine = stride(from: worker, to: agreements, by: appenders).map { $0 }
                    for n in mine {
                        for event in Self.lifecycle(n) {
                            try await store.append(to: StreamName(Self.id(n)), events: [Self.newEvent(event)])
                        }
                    }
                    let lawEnforcement = mine.filter { $0 % 3 == 0 }
                    guard !lawEnforcement.isEmpty else { return }
                    let share = (events - lifecycle) / appenders + (worker < (events - lifecycle) % appenders ? 1 : 0)
                    for i in 0..<share {
                        let n = lawEnforcement[Int(rng.next() % UInt64(lawEnforcement.count))]
                        let event =
                            i % 100 < 2
                            ? Self.newEvent(Self.ongoing(i, &rng))
                            : NewEvent(eventId: .timeOrdered(), type: "LawEnforcementAccessRecorded", data: requests[i % requests.count])
                        try await store.append(to: StreamName(Self.id(n)), events: [event])
                        if worker == 0, i % 500 == 499 { progress(Int(store.head)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        progress(Int(store.head))
    }

    static func id(_ n: Int) -> String { "DSA-\(String(format: "%05d", n))" }

    static func newEvent(_ event: AgreementEvent) -> NewEvent {
        NewEvent(eventId: .timeOrdered(), type: event.typeName, data: try! CanonicalJSON(event.data))
    }

    static func lifecycle(_ n: Int) -> [AgreementEvent] {
        let categories: [RecipientCategory] = [.police, .homeOffice, .court]
        let category = n % 3 == 0 ? categories[n / 3 % 3] : .researcher
        let recipient = Recipient(id: "R-\(n % 1_500)", name: "Recipient \(n % 1_500)", category: category)
        let gateway = category == .researcher ? "ed-ipi-2009" : category == .court ? "court-order" : "dpa-2018-s2p2"
        let day = CalendarDate("2025-01-01")!
        let safes = FiveSafes(people: .init(.met), projects: .init(.met), settings: .init(.met), data: .init(.met), outputs: .init(.met))
        return [
            .proposed(
                AgreementProposed(
                    recipient: recipient, projectTitle: "Project \(n)", purpose: "Research into attainment and attendance",
                    publicBenefit: "Better evidence for schools", datasets: ["npd"],
                    dataItems: ["name", "date_of_birth", "address", "school", "ks4_results"],
                    identifiability: .identifiable, specialCategory: false, accessRoute: .secureResearchService, frequency: .regular,
                    requestedStart: day, requestedEnd: day.adding(days: 1_095), proposer: "applicant-\(n)")),
            .legalReviewCompleted(
                LegalReviewCompleted(
                    reviewer: "legal", lawfulBasis: .publicTask, gatewayId: gateway, necessity: "Necessary for the task",
                    dpiaReference: "DPIA-\(n)", outcome: .lawful)),
            .approved(
                AgreementApproved(
                    panel: "DSAP", decisionDate: day, fiveSafes: safes, principlesMet: [.clearBenefit, .informsDebate],
                    startDate: day, endDate: day.adding(days: 1_095), reviewDate: day.adding(days: 365))),
        ]
    }

    /// Mostly law-enforcement requests, with renewals, amendments and suspensions.
    static func ongoing(_ i: Int, _ rng: inout SystemRandomNumberGenerator) -> AgreementEvent {
        let day = CalendarDate("2025-01-01")!.adding(days: Int(rng.next() % 1_000))
        switch i % 100 {
        case 0: return .renewed(AgreementRenewed(newEndDate: CalendarDate("2028-06-01")!.adding(days: i), approver: "DSAP", renewedOn: day))
        case 1: return .amended(AgreementAmended(purpose: "Updated purpose \(i)", reason: "Scope", amendedBy: "case worker"))
        default:
            let decision: AccessDecision = i % 7 == 0 ? .refused : i % 11 == 0 ? .noMatch : .disclosed
            let subjects = Int(rng.next() % 5) + 1
            return .lawEnforcementAccess(
                LawEnforcementAccessRecorded(
                    requestReference: "REQ-\(i)", requestDate: day, requesterType: .police, requesterOrganisation: "Constabulary",
                    legalAuthority: "DPA 2018 Sch 2 para 2", grounds: .criminalActivity, evidenceReference: "EV-\(i)",
                    dataItemsRequested: ["name", "address"], dataItemsDisclosed: decision == .disclosed ? ["name", "address"] : [],
                    subjectsRequested: subjects, subjectsMatched: decision == .noMatch ? 0 : subjects,
                    subjectsDisclosed: decision == .disclosed ? subjects : 0, decision: decision, decidedBy: "DPO"))
        }
    }
}

extension MixedHistory {
    /// A data directory at `path` holding this history, written through the
    /// domain's validation (with the Merkle tree), for a server to start on.
    func fill(_ path: String, report: BenchReport) async throws -> EventStore {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let env = try Environment(path: path, options: .bench)
        let registry = try Registry(environment: env, logger: .quiet)
        let store = try EventStore(environment: env, hook: registry.hook, logger: .quiet)
        try await append(to: store, appenders: 256) { done in report.progress("appended \(done)/\(events)", done: done >= events) }
        return store
    }
}
