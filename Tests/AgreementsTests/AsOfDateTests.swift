import AccordCore
import Agreements
import AgreementsTesting
import Foundation
import Testing

@Suite struct AsOfDateTests {
    @Test func effectiveStatusAtTheBoundaries() throws {
        var timeline = try Timeline([
            Samples.proposal(), Samples.review(), Samples.approval(start: "2025-01-01", end: "2025-12-31", review: "2025-07-01"),
        ])
        let a = try #require(timeline.state)
        #expect(a.effectiveStatus(on: date("2024-12-31")) == .approvedNotStarted)
        #expect(a.effectiveStatus(on: date("2025-01-01")) == .inForce)
        #expect(a.effectiveStatus(on: date("2025-12-31")) == .inForce)
        #expect(a.effectiveStatus(on: date("2026-01-01")) == .expired)
        #expect(!a.isReviewDue(on: date("2025-06-30")))
        #expect(a.isReviewDue(on: date("2025-07-01")))
        #expect(a.isReviewDue(on: date("2025-12-31")), "due until it ends")
        #expect(!a.isReviewDue(on: date("2026-01-01")), "an expired agreement is not live: no review is due")
        #expect(RegisterFilter(reviewDue: true).matches(RegisterRow(a, on: date("2025-07-01")), on: date("2025-07-01")))
        #expect(RegisterFilter(reviewDue: false).matches(RegisterRow(a, on: date("2026-01-01")), on: date("2026-01-01")))

        try timeline.apply(Samples.renewal(to: "2026-06-30"))
        let renewed = try #require(timeline.state)
        #expect(renewed.effectiveStatus(on: date("2026-01-01")) == .inForce)
        #expect(renewed.effectiveStatus(on: date("2026-07-01")) == .expired)
        #expect(renewed.lastRenewal == date("2025-11-01"))

        try timeline.apply(Samples.revocation(on: "2026-03-01"))
        let revoked = try #require(timeline.state)
        #expect(revoked.effectiveStatus(on: date("2026-02-28")) == .inForce)
        #expect(revoked.effectiveStatus(on: date("2026-03-01")) == .revoked)
    }

    @Test func registerFiltersByStatusAndExpiry() throws {
        var state = RegisterState()
        let events: [(String, [AgreementEvent])] = [
            ("DSA-1", [Samples.proposal(), Samples.review(), Samples.approval(end: "2025-03-31")]),
            ("DSA-2", [Samples.proposal(), Samples.review(), Samples.approval(end: "2025-12-31")]),
            ("DSA-3", [Samples.proposal(Samples.university)]),
        ]
        var position: UInt64 = 0
        for (id, list) in events {
            for (version, event) in list.enumerated() {
                state.apply(
                    event, id: id, context: EventContext(position: position, version: UInt64(version), effectiveDate: date("2025-01-01")))
                position += 1
            }
        }
        let day = date("2025-03-15")
        #expect(state.register(on: day).map(\.reference) == ["DSA-1", "DSA-2", "DSA-3"])
        #expect(state.register(on: day, filter: RegisterFilter(expiringWithinDays: 30)).map(\.reference) == ["DSA-1"])
        #expect(state.register(on: day, filter: RegisterFilter(status: .proposed)).map(\.reference) == ["DSA-3"])
        #expect(state.register(on: day, filter: RegisterFilter(category: .police)).count == 2)
        #expect(state.register(on: day, filter: RegisterFilter(gatewayId: "dpa-2018-s2p2")).count == 2)
        #expect(state.register(on: date("2025-04-01"), filter: RegisterFilter(status: .expired)).map(\.reference) == ["DSA-1"])
    }

    @Test func statisticsCountRequestsDisclosuresAndSubjects() {
        var statistics = LawEnforcementStatistics()
        for case .lawEnforcementAccess(let access) in [
            Samples.access(on: "2025-01-05", subjects: 2), Samples.access(on: "2025-02-05", decision: .refused),
            Samples.access(on: "2025-02-06", decision: .noMatch, requester: .homeOffice),
            Samples.access(on: "2025-04-01", requested: 2_100, matched: 2_050, subjects: 2_000),
        ] { statistics.record(access.summary) }
        let q1 = statistics.rows["quarter|2025-Q1|police"]
        #expect(q1?.requests == 2)
        #expect(q1?.disclosures == 1)
        #expect(q1?.refusals == 1)
        #expect(q1?.subjectsDisclosed == 2)
        #expect(statistics.rows["month|2025-02|home_office"]?.noMatches == 1)
        #expect(statistics.rows["quarter|2025-Q2|police"]?.subjectsDisclosed == 2_000)
        #expect(statistics.sortedRows.count == 7)
    }
}

@Suite struct CSVExportTests {
    @Test func theRegisterExportsWithStableColumnsAndQuoting() throws {
        var state = RegisterState()
        state.apply(
            Samples.proposal(Recipient(id: "R-1", name: "Leeds, \"City\" Council", category: .police)), id: "DSA-1",
            context: EventContext(position: 0, version: 0, effectiveDate: date("2025-01-01")))
        state.apply(Samples.review(), id: "DSA-1", context: EventContext(position: 1, version: 1, effectiveDate: date("2025-01-01")))
        let csv = CSVExport.register(state.register(on: date("2025-01-01")))
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == CSVExport.registerColumns.joined(separator: ","))
        #expect(lines[1].hasPrefix(#"DSA-1,R-1,"Leeds, ""City"" Council",police,"#))
        #expect(lines[1].contains(",dpa-2018-s2p2,\"Data Protection Act 2018, Schedule 2, paragraph 2 (crime and taxation)\",public_task,"))
        #expect(lines[1].contains(",name; date_of_birth; address; school,"))
        #expect(lines.count == 3 && lines[2].isEmpty)
    }

    @Test func statisticsExportOneRowPerPeriodAndRequester() {
        var statistics = LawEnforcementStatistics()
        if case .lawEnforcementAccess(let access) = Samples.access(on: "2025-02-03") { statistics.record(access.summary) }
        let csv = CSVExport.statistics(statistics)
        #expect(
            csv == """
                period_kind,period,requester_type,requests,disclosures,refusals,no_matches,subjects_requested,subjects_matched,subjects_disclosed\r
                month,2025-02,police,1,1,0,0,3,2,2\r
                quarter,2025-Q1,police,1,1,0,0,3,2,2\r

                """)
    }
}
