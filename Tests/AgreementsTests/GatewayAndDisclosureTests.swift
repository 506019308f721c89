import Agreements
import AgreementsTesting
import Foundation
import Testing

@Suite struct GatewayAndDisclosureTests {
    @Test func theShippedCatalogueHoldsTheDepartmentsPowers() {
        let catalogue = GatewayCatalogue.standard
        #expect(catalogue.gateways.count == 12)
        #expect(catalogue["ed-ipi-2009"]?.permits.contains(.crimePrevention) == true)
        #expect(catalogue["dea-2017-p5c5"]?.deIdentifiedOnly == true)
        #expect(catalogue["hera-2017"]?.title == "The Higher Education and Research Act 2017")
    }

    /// protocol/gateways.json is what integrators read; it must say exactly what the server ships.
    @Test func thePublishedCatalogueIsTheShippedOne() throws {
        let published = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../protocol/gateways.json")
        let bytes = try #require(FileManager.default.contents(atPath: published.standardizedFileURL.path))
        #expect(try GatewayCatalogue(json: Array(bytes)) == GatewayCatalogue.standard)
    }

    @Test func aCatalogueThatListsAGatewayTwiceIsRefused() {
        let twice =
            #"{"version":1,"reviewed":"2026-01-01","gateways":[{"id":"a","title":"A","permits":["researcher"],"covers":"x"},"#
            + #"{"id":"a","title":"A","permits":["researcher"],"covers":"x"}]}"#
        #expect(throws: AgreementError.validationFailed("gateway catalogue lists a twice")) {
            try GatewayCatalogue(json: Array(twice.utf8))
        }
    }

    @Test func aGatewayThatDoesNotPermitTheRecipientIsRefusedNamingBoth() throws {
        let timeline = try Timeline([Samples.proposal(Samples.police)])
        #expect(
            throws: AgreementError.validationFailed(
                "The Higher Education and Research Act 2017 (hera-2017) does not permit sharing with Metropolitan Police Service, a police recipient",
                field: "gatewayId")
        ) {
            try timeline.check(Samples.review("hera-2017"))
        }
        #expect(throws: AgreementError.self) { try timeline.check(Samples.review("no-such-act")) }
        try timeline.check(Samples.review("dpa-2018-s2p2"))
    }

    @Test func deIdentifiedOnlyGatewaysRefuseIdentifiableData() throws {
        let identifiable = try Timeline([Samples.proposal(Samples.university, identifiability: .identifiable)])
        #expect(throws: AgreementError.self) { try identifiable.check(Samples.review("dea-2017-p5c5")) }
        let pseudonymised = try Timeline([Samples.proposal(Samples.university, identifiability: .pseudonymised)])
        try pseudonymised.check(Samples.review("dea-2017-p5c5"))
    }

    @Test func specialCategoryDataNeedsAnArticle9Condition() throws {
        let timeline = try Timeline([Samples.proposal(Samples.university, special: true)])
        #expect(throws: AgreementError.self) { try timeline.check(Samples.review("ed-ipi-2009")) }
        try timeline.check(Samples.review("ed-ipi-2009", article9: "substantial public interest"))
    }

    @Test(arguments: ["nationality", "country_of_birth", "english_proficiency"])
    func someItemsAreNeverDisclosed(item: String) throws {
        let timeline = try Timeline([Samples.proposal(items: ["name", item]), Samples.review(), Samples.approval()])
        #expect(throws: AgreementError.validationFailed("\(item) is never disclosed to law enforcement", field: "dataItemsDisclosed[0]")) {
            try timeline.check(Samples.access(disclosed: [item]))
        }
    }

    @Test func disclosuresStayWithinTheAgreementAndTheAllowList() throws {
        let timeline = try Timeline([Samples.proposal(items: ["name", "ks4_results"]), Samples.review(), Samples.approval()])
        #expect(
            throws: AgreementError.validationFailed(
                "ks4_results is not on the law-enforcement disclosure allow-list", field: "dataItemsDisclosed[0]")
        ) {
            try timeline.check(Samples.access(disclosed: ["ks4_results"]))
        }
        #expect(throws: AgreementError.validationFailed("address is not covered by DSA-0042", field: "dataItemsDisclosed[0]")) {
            try timeline.check(Samples.access(disclosed: ["address"]))
        }
        try timeline.check(Samples.access(disclosed: ["name"]))
    }

    @Test func accessOnlyUnderALawEnforcementAgreementInForce() throws {
        let research = try Timeline([Samples.proposal(Samples.university), Samples.review("ed-ipi-2009"), Samples.approval()])
        #expect(throws: AgreementError.self) { try research.check(Samples.access()) }
        let police = try Timeline([Samples.proposal(), Samples.review(), Samples.approval(start: "2025-01-01", end: "2025-12-31")])
        try police.check(Samples.access(on: "2025-01-01"))
        try police.check(Samples.access(on: "2025-12-31"))
        #expect(throws: AgreementError.self) { try police.check(Samples.access(on: "2024-12-31")) }
        #expect(throws: AgreementError.self) { try police.check(Samples.access(on: "2026-01-01")) }
    }

    @Test func requestRecordsMustBeConsistent() throws {
        let police = try Timeline([Samples.proposal(), Samples.review(), Samples.approval()])
        #expect(throws: AgreementError.self) { try police.check(Samples.access(evidence: nil)) }
        #expect(throws: AgreementError.self) { try police.check(Samples.access(evidence: nil, grounds: .courtOrder)) }
        try police.check(Samples.access(evidence: nil, courtOrder: "FC-2025-17", grounds: .courtOrder))
        #expect(throws: AgreementError.self) { try police.check(Samples.access(requested: 1, matched: 2, subjects: 2)) }
        try police.check(Samples.access(decision: .refused))
        try police.check(Samples.access(decision: .noMatch))
    }
}
