import AccordCore
import AccordJSON
import Agreements
import ArgumentParser
import EventStore
import Foundation
import LMDB
import Registry

/// A realistic mixed history through domain validation, then a rebuild and an
/// as-of query over it, beside the bare store's throughput in the same run.
struct RegistryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Append a mixed agreements history through validation, rebuild the projections, and query as of a past position.")

    @Option(help: "Agreements in the history.") var agreements: Int = 10_000
    @Option(help: "Events in the history.") var events: Int = 1_000_000
    @Option(help: "Concurrent appenders.") var appenders: Int = 256
    @Option(help: "Seconds of bare event-store appends to compare with (0 skips).") var baselineSeconds: Double = 5
    @Option(help: "Folder for temporary data directories.") var scratch: String = NSTemporaryDirectory()
    @Flag(help: "Print only one machine-readable line per measurement.") var summary = false

    func run() async throws {
        let report = BenchReport(summary: summary)
        report.header("accord bench registry: \(agreements) agreements, \(events) events, \(appenders) appenders, durable sync on")
        // The bare store twice: one stream per appender (as `bench store`), and the
        // same number of streams as the history has agreements, which is the
        // like-for-like baseline (each stream's entry is rewritten per commit).
        var baselines: [(streams: Int, eventsPerSecond: Double)] = []
        if baselineSeconds > 0 {
            for streams in [nil, agreements] {
                let dir = ScratchDirectory(in: scratch)
                let baseline = try await AppendBench(path: dir.path, eventSize: 400, randomIds: false, streams: streams)
                    .run(appenders: appenders, seconds: baselineSeconds)
                baselines.append((streams ?? appenders, baseline.eventsPerSecond))
                report.row("store", ["appenders": "\(appenders)", "streams": "\(streams ?? appenders)", "events_per_s": fmt(baseline.eventsPerSecond)])
            }
        }
        let dir = ScratchDirectory(in: scratch)
        let env = try Environment(path: dir.path, options: .bench)
        let registry = try Registry(environment: env, logger: .quiet)
        let store = try EventStore(environment: env, hook: registry.hook, logger: .quiet)
        let history = MixedHistory(agreements: agreements, events: events)
        let commitsBefore = env.info().lastTransactionID
        let start = ContinuousClock.now
        try await history.append(to: store, appenders: appenders) { done in
            report.progress("appended \(done)/\(events)", done: done >= events)
        }
        let appendSeconds = (ContinuousClock.now - start).seconds
        let commits = env.info().lastTransactionID - commitsBefore
        let validated = Double(store.head) / appendSeconds
        report.row("validated", [
            "appenders": "\(appenders)", "events": "\(store.head)", "events_per_s": fmt(validated),
            "events_per_commit": fmt(Double(store.head) / Double(max(commits, 1)), 1),
        ])
        for baseline in baselines {
            report.row("kept", ["of_store_with_streams": "\(baseline.streams)", "pct": fmt(100 * validated / baseline.eventsPerSecond, 1)])
        }

        let t0 = ContinuousClock.now
        try registry.rebuild(store) { done, total in
            if done % 262_144 < 65_536 || done == total { report.progress("rebuilt \(done)/\(total)", done: done == total) }
        }
        let rebuildSeconds = (ContinuousClock.now - t0).seconds
        report.row("rebuild", ["events": "\(store.head)", "events_per_s": fmt(Double(store.head) / rebuildSeconds)])

        // Any point before the head is a replay; the last event is the longest one.
        for position in [store.head / 2, store.head - 1] {
            let t1 = ContinuousClock.now
            let past = try registry.state(asOf: .position(position), in: store)
            let rows = past.register(on: CalendarDate("2025-06-01")!)
            report.row("as_of", ["position": "\(position)", "rows": "\(rows.count)", "seconds": fmt((ContinuousClock.now - t1).seconds, 3)])
        }
        store.close()
    }
}

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
                        let event = i % 100 < 2
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
            .proposed(AgreementProposed(
                recipient: recipient, projectTitle: "Project \(n)", purpose: "Research into attainment and attendance",
                publicBenefit: "Better evidence for schools", datasets: ["npd"], dataItems: ["name", "date_of_birth", "address", "school", "ks4_results"],
                identifiability: .identifiable, specialCategory: false, accessRoute: .secureResearchService, frequency: .regular,
                requestedStart: day, requestedEnd: day.adding(days: 1_095), proposer: "applicant-\(n)")),
            .legalReviewCompleted(LegalReviewCompleted(
                reviewer: "legal", lawfulBasis: .publicTask, gatewayId: gateway, necessity: "Necessary for the task",
                dpiaReference: "DPIA-\(n)", outcome: .lawful)),
            .approved(AgreementApproved(
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
            return .lawEnforcementAccess(LawEnforcementAccessRecorded(
                requestReference: "REQ-\(i)", requestDate: day, requesterType: .police, requesterOrganisation: "Constabulary",
                legalAuthority: "DPA 2018 Sch 2 para 2", grounds: .criminalActivity, evidenceReference: "EV-\(i)",
                dataItemsRequested: ["name", "address"], dataItemsDisclosed: decision == .disclosed ? ["name", "address"] : [],
                subjectsRequested: subjects, subjectsMatched: decision == .noMatch ? 0 : subjects,
                subjectsDisclosed: decision == .disclosed ? subjects : 0, decision: decision, decidedBy: "DPO"))
        }
    }
}
