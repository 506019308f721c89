import AccordJSON
import Agreements
import Testing

/// Every agreement event decodes through `EventDataReader` alone; the types'
/// `Decodable` conformances are kept as its oracle. Over the events of the
/// example sessions and every variant the error message test makes of their
/// data (members removed, replaced by every JSON kind, added, at any depth),
/// the reader and the oracle agree on the event, or on the message and
/// field of the fault, both strictly and reading as stored.
@Suite struct EventDecodingTests {
    @Test func theReaderAgreesWithTheOracleOnEveryVariant() throws {
        var (compared, faults, disagreeing) = (0, Set<String>(), [String]())
        for request in try ErrorMessageTests.exampleRequests() where request["op"] == "append" {
            for case .object(let event) in request["events"]?.arrayValue ?? [] {
                guard case .string(let type)? = event["type"], let data = event["data"] else { continue }
                for variant in ErrorMessageTests.variants(of: data) {
                    let read = Result { () throws(AgreementError) in try AgreementEvent(type: type, data: variant) }
                    let oracle = Result { () throws(AgreementError) in try AgreementEvent(oracle: type, data: variant, strict: true) }
                    if read != oracle { disagreeing.append("\(type) \(variant.canonicalString): \(read) against \(oracle)") }
                    if case .failure(let error) = read { faults.insert(error.message) }
                    if let canonical = try? CanonicalJSON(variant) {
                        let stored = Result { () throws(AgreementError) in try AgreementEvent(type: type, canonical: canonical) }
                        let storedOracle = Result { () throws(AgreementError) in
                            try AgreementEvent(oracle: type, data: variant, strict: false)
                        }
                        if stored != storedOracle { disagreeing.append("stored \(type) \(variant.canonicalString)") }
                    }
                    compared += 1
                }
            }
        }
        #expect(disagreeing.isEmpty, "\(disagreeing.prefix(3))")
        #expect(compared > 2_000 && faults.count > 300, "\(compared) variants, \(faults.count) distinct faults")
    }

    /// Odd but valid values read back equal, and odd faults are worded as the oracle words them.
    @Test func edges() throws {
        let cases: [(String, String)] = [
            ("AgreementRejected", #"{"reasons":[],"decidedBy":"a\"b\\c\u0000","decisionDate":"2025-01-01"}"#),
            ("AgreementRejected", #"{"reasons":["x",null],"decidedBy":"p","decisionDate":"2025-01-01"}"#),
            ("AgreementRejected", #"{"reasons":["x"],"decidedBy":"p","decisionDate":"2025-02-30"}"#),
            ("AgreementRejected", #"{"reasons":["x"],"decidedBy":"p","decisionDate":"2025-01-01","a\"b":1}"#),
            ("AgreementSuspended", #"{"reason":"r","breachReference":null,"suspendedBy":"s"}"#),
            ("AgreementSuspended", #"{"reason":"r","suspendedBy":"s","":1}"#),
            ("LawEnforcementAccessRecorded", Self.access(subjects: "1e3")),
            ("LawEnforcementAccessRecorded", Self.access(subjects: "-0")),
            ("LawEnforcementAccessRecorded", Self.access(subjects: "1.5")),
            ("LawEnforcementAccessRecorded", Self.access(subjects: "12345678901234567890")),
            ("LawEnforcementAccessRecorded", Self.access(subjects: "-9007199254740991")),
            ("LawEnforcementAccessRecorded", Self.access(subjects: "\"3\"")),
            ("AgreementRevoked", "[]"), ("AgreementRevoked", "null"), ("NoSuchEvent", "{}"),
            // Found by the event fuzzer: years past 9999 are read as stored, and a nested object's first fault wins.
            (
                "AgreementApproved",
                #"{"panel": "DSAP", "decisionDate": "302024-12-20", "fiveSafes": {"people": {"ratatir`ting": "met"}, "outputs": {"rg": "met"}}, "principlesMet": ["clear_benefit"], "startDate": "22025-07-01"}"#
            ),
        ]
        for (type, json) in cases {
            let value = try JSONParser.parse(Array(json.utf8))
            let read = Result { () throws(AgreementError) in try AgreementEvent(type: type, data: value) }
            let oracle = Result { () throws(AgreementError) in try AgreementEvent(oracle: type, data: value, strict: true) }
            #expect(read == oracle, "\(type) \(json)")
            guard let canonical = try? CanonicalJSON(value) else { continue }
            let stored = Result { () throws(AgreementError) in try AgreementEvent(type: type, canonical: canonical) }
            let storedOracle = Result { () throws(AgreementError) in try AgreementEvent(oracle: type, data: value, strict: false) }
            #expect(stored == storedOracle, "stored \(type) \(json)")
        }
    }

    static func access(subjects: String) -> String {
        #"{"requestReference":"MPS-1","requestDate":"2025-03-01","requesterType":"police","requesterOrganisation":"MPS","legalAuthority":"DPA 2018 Sch 2","grounds":"prevention_or_detection_of_crime","evidenceReference":"E-1","dataItemsRequested":["name"],"dataItemsDisclosed":["name"],"subjectsRequested":\#(subjects),"subjectsMatched":1,"subjectsDisclosed":1,"decision":"disclosed","decidedBy":"dpo"}"#
    }
}
