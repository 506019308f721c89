import AccordJSON
import Agreements
import AgreementsTesting
import Testing

@Suite struct TransitionTests {
    static let setups: [(String, [AgreementEvent])] = [
        ("none", []),
        ("proposed", [Samples.proposal()]),
        ("reviewed", [Samples.proposal(), Samples.review()]),
        ("approved", [Samples.proposal(), Samples.review(), Samples.approval()]),
        ("suspended", [Samples.proposal(), Samples.review(), Samples.approval(), Samples.suspension]),
        ("rejected", [Samples.proposal(), Samples.rejection]),
        ("withdrawn", [Samples.proposal(), Samples.withdrawal]),
        ("revoked", [Samples.proposal(), Samples.review(), Samples.approval(), Samples.revocation()]),
    ]

    static let events: [(String, AgreementEvent)] = [
        ("propose", Samples.proposal()), ("review", Samples.review()), ("approve", Samples.approval()),
        ("reject", Samples.rejection), ("withdraw", Samples.withdrawal), ("renew", Samples.renewal()),
        ("amend", Samples.amendment()), ("suspend", Samples.suspension), ("reinstate", Samples.reinstatement),
        ("revoke", Samples.revocation()), ("access", Samples.access()),
    ]

    /// Which events each state accepts; everything else is refused.
    static let allowed: [String: Set<String>] = [
        "none": ["propose"],
        "proposed": ["review", "reject", "withdraw", "amend"],
        "reviewed": ["review", "approve", "reject", "withdraw", "amend"],
        "approved": ["review", "renew", "amend", "suspend", "revoke", "access"],
        "suspended": ["review", "renew", "amend", "reinstate", "revoke"],
        "rejected": [], "withdrawn": [], "revoked": [],
    ]

    @Test(arguments: setups.map(\.0))
    func everyTransitionFromEveryState(state: String) throws {
        let timeline = try Timeline(Self.setups.first { $0.0 == state }!.1)
        for (name, event) in Self.events {
            let expected = Self.allowed[state]!.contains(name)
            do {
                try timeline.check(event)
                #expect(expected, "\(name) from \(state) was accepted")
            } catch {
                #expect(!expected, "\(name) from \(state) was refused: \(error)")
                if state != "reviewed" || name != "approve" {
                    #expect(error.description.contains("DSA-0042") || error.description.contains("law"), "\(error)")
                }
            }
        }
    }

    @Test func approvalNeedsALawfulReview() throws {
        let none = try Timeline([Samples.proposal()])
        #expect(throws: AgreementError.invalidTransition("cannot approve DSA-0042: no lawful legal review recorded")) {
            try none.check(Samples.approval())
        }
        let unlawful = try Timeline([Samples.proposal(), Samples.review(outcome: .notLawful)])
        #expect(throws: AgreementError.self) { try unlawful.check(Samples.approval()) }
        var reconsidered = unlawful
        try reconsidered.apply(Samples.review(outcome: .lawfulWithConditions))
        try reconsidered.check(Samples.approval())
    }

    @Test func approvalNeedsEverySafeMet() throws {
        let timeline = try Timeline([Samples.proposal(), Samples.review()])
        var safes = Samples.allMet
        safes.data = .init(.notMet, note: "Too identifying")
        #expect(throws: AgreementError.validationFailed("cannot approve DSA-0042: safe data not met", field: "fiveSafes.data")) {
            try timeline.check(Samples.approval(safes: safes))
        }
        safes.data = .init(.metWithConditions)
        try timeline.check(Samples.approval(safes: safes))
    }

    @Test func renewalMustExtendTheEndDate() throws {
        let timeline = try Timeline([Samples.proposal(), Samples.review(), Samples.approval(end: "2025-12-31")])
        #expect(throws: AgreementError.self) { try timeline.check(Samples.renewal(to: "2025-12-31")) }
        #expect(throws: AgreementError.self) { try timeline.check(Samples.renewal(to: "2025-06-30")) }
        try timeline.check(Samples.renewal(to: "2026-01-01"))
    }

    @Test func widenedItemsNeedANewReviewBeforeUse() throws {
        var timeline = try Timeline([Samples.proposal(items: ["name", "address"]), Samples.review(), Samples.approval()])
        try timeline.apply(Samples.amendment(items: ["name", "address", "date_of_birth"], purpose: nil))
        #expect(timeline.state?.itemsAwaitingReview == ["date_of_birth"])
        try timeline.check(Samples.access(disclosed: ["name"]))
        #expect(
            throws: AgreementError.validationFailed(
                "date_of_birth was added to DSA-0042 after its last legal review and needs a new review before use",
                field: "dataItemsDisclosed[0]")
        ) {
            try timeline.check(Samples.access(disclosed: ["date_of_birth"]))
        }
        try timeline.apply(Samples.review())
        try timeline.check(Samples.access(disclosed: ["date_of_birth"]))
    }

    @Test func unknownTypesAndBadFieldsAreValidationFailures() throws {
        #expect(throws: AgreementError.self) { try AgreementEvent(type: "AgreementTeleported", data: [:]) }
        do {
            _ = try AgreementEvent(type: "AgreementRevoked", data: ["reason": "x", "revokedBy": "y", "effectiveDate": "31/12/2025"])
            Issue.record("a bad date was accepted")
        } catch {
            #expect(error.description.contains("effectiveDate"))
        }
        do {
            _ = try AgreementEvent(type: "AgreementSuspended", data: ["reason": "x"])
            Issue.record("a missing field was accepted")
        } catch {
            #expect(error.description == "AgreementSuspended: suspendedBy is required")
        }
    }

    @Test func eventsRoundTripThroughJSON() throws {
        for (_, event) in Self.events {
            #expect(try AgreementEvent(type: event.typeName, data: event.data) == event)
        }
    }
}

@Suite struct FastDecodingTests {
    @Test func theFastPathAgreesWithCodable() throws {
        for event in [Samples.access(), Samples.access(decision: .refused, evidence: nil, courtOrder: "FC-1", grounds: .courtOrder)] {
            let data = try CanonicalJSON(event.data)
            #expect(try AgreementEvent(type: event.typeName, canonical: data) == event)
            #expect(try AgreementEvent(type: event.typeName, data: data.value()) == event)
        }
    }

    @Test(arguments: ["requestDate", "decision", "subjectsMatched", "dataItemsDisclosed", "decidedBy"])
    func missingFieldsAreRefusedTheSameWay(field: String) throws {
        guard case .object(var members) = Samples.access().data else { return }
        members[field] = nil
        let data = try CanonicalJSON(.object(members))
        #expect(throws: AgreementError.validationFailed("LawEnforcementAccessRecorded: \(field) is required", field: field)) {
            try AgreementEvent(type: "LawEnforcementAccessRecorded", canonical: data)
        }
        #expect(throws: AgreementError.validationFailed("LawEnforcementAccessRecorded: \(field) is required", field: field)) {
            try AgreementEvent(type: "LawEnforcementAccessRecorded", data: data.value())
        }
    }

    @Test func wrongTypesAndValuesAreRefused() throws {
        guard case .object(let members) = Samples.access().data else { return }
        for (field, bad) in [
            ("subjectsMatched", JSONValue.string("two")), ("decision", "maybe"), ("requestDate", "10/03/2025"),
            ("dataItemsDisclosed", ["name", 3]), ("requesterType", 7),
        ] {
            var copy = members
            copy[field] = bad
            let data = try CanonicalJSON(.object(copy))
            #expect(throws: AgreementError.self) { try AgreementEvent(type: "LawEnforcementAccessRecorded", canonical: data) }
            #expect(throws: AgreementError.self) { try AgreementEvent(type: "LawEnforcementAccessRecorded", data: data.value()) }
        }
    }

    /// Both decoders word a wrong date or enum value the same way.
    @Test(arguments: [("requestDate", "10/03/2025"), ("decision", "maybe"), ("requesterType", "pirate")])
    func wrongValuesAreWordedAlike(field: String, bad: String) throws {
        guard case .object(var members) = Samples.access().data else { return }
        members[field] = .string(bad)
        let data = try CanonicalJSON(.object(members))
        let codable = Result { try AgreementEvent(type: "LawEnforcementAccessRecorded", data: data.value()) }
        let fast = Result { try AgreementEvent(type: "LawEnforcementAccessRecorded", canonical: data) }
        guard case .failure(let a) = codable, case .failure(let b) = fast else {
            Issue.record("both refuse \(field)")
            return
        }
        #expect("\(a)" == "\(b)")
        #expect("\(a)".contains("\(field) must be"))
    }

    /// A member the type does not define, anywhere in the order, is refused
    /// by name on both paths for new events, and passed over when reading
    /// what was stored; integers of every shape decode alike.
    @Test func unknownMembersAndIntegerShapesAgreeWithCodable() throws {
        guard case .object(let members) = Samples.access().data else { return }
        for (extra, subjects) in [
            ("aardvark", JSONValue.integer(0)), ("subjectsMatchedNote", .integer(-3)), ("zz", .integer(123_456_789_012_345_678)),
            ("", .integer(Int64.max)), ("\u{e9}t\u{e9}", .integer(7)),
        ] {
            var copy = members
            copy["subjectsMatched"] = subjects
            let expected = try AgreementEvent(type: "LawEnforcementAccessRecorded", data: .object(copy))
            copy[extra] = "ignored"
            let data = try CanonicalJSON(.object(copy))
            let refusal = AgreementError.validationFailed(
                "LawEnforcementAccessRecorded: \(extra) is not a member this object may have", field: extra)
            #expect(throws: refusal) { try AgreementEvent(type: "LawEnforcementAccessRecorded", data: data.value()) }
            #expect(throws: refusal) { try AgreementEvent(validating: "LawEnforcementAccessRecorded", canonical: data) }
            #expect(try AgreementEvent(type: "LawEnforcementAccessRecorded", canonical: data) == expected)
        }
    }

    /// The issue's own example: a national insurance number slipped into a proposal's recipient.
    @Test func personalDataInAnUndefinedMemberNeverReachesTheLog() throws {
        guard case .object(var members) = Samples.proposal(Samples.university).data,
            case .object(var recipient)? = members["recipient"]
        else { return }
        recipient["nationalInsuranceNumbers"] = ["AB123456C"]
        members["recipient"] = .object(recipient)
        #expect(
            throws: AgreementError.validationFailed(
                "AgreementProposed: recipient.nationalInsuranceNumbers is not a member this object may have",
                field: "recipient.nationalInsuranceNumbers")
        ) { try AgreementEvent(type: "AgreementProposed", data: .object(members)) }
    }

    @Test func anUnknownEnumValueListsTheAcceptedOnes() throws {
        guard case .object(var members) = Samples.proposal(Samples.university).data else { return }
        members["accessRoute"] = "sre"
        #expect(
            throws: AgreementError.validationFailed(
                #"AgreementProposed: accessRoute must be one of secure_research_service, extract; got "sre""#, field: "accessRoute")
        ) { try AgreementEvent(type: "AgreementProposed", data: .object(members)) }
        guard case .object(var access) = Samples.access().data else { return }
        access["decision"] = "maybe"
        let message = #"LawEnforcementAccessRecorded: decision must be one of disclosed, refused, no_match; got "maybe""#
        #expect(throws: AgreementError.validationFailed(message, field: "decision")) {
            try AgreementEvent(type: "LawEnforcementAccessRecorded", data: .object(access))
        }
        #expect(throws: AgreementError.validationFailed(message, field: "decision")) {
            try AgreementEvent(type: "LawEnforcementAccessRecorded", canonical: CanonicalJSON(.object(access)))
        }
    }
}
