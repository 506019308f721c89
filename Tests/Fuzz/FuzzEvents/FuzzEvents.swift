import AccordCore
import AccordJSON
import Agreements
import FuzzSupport

/// libFuzzer entry: the input's first line names an event type, the rest is
/// its `data`. The event is decoded (by `EventDataReader`, strictly and as
/// stored, each of which must agree with the `Decodable` oracle, message and
/// field included), decided against agreements in several states (none,
/// proposed, reviewed, approved), and folded when allowed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvents(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let typeName = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = newline < bytes.count ? Array(bytes[(newline + 1)...]) : []
    guard let value = try? JSONParser.parse(body) else { return 0 }
    let decoded = Result { () throws(AgreementError) in try AgreementEvent(type: typeName, data: value) }
    let oracle = Result { () throws(AgreementError) in try AgreementEvent(oracle: typeName, data: value, strict: true) }
    precondition(decoded == oracle, "the reader and the Decodable oracle disagree on \(typeName): \(decoded) \(oracle)")
    if let canonical = try? CanonicalJSON(value) {
        let stored = Result { () throws(AgreementError) in try AgreementEvent(type: typeName, canonical: canonical) }
        let storedOracle = Result { () throws(AgreementError) in try AgreementEvent(oracle: typeName, data: value, strict: false) }
        precondition(stored == storedOracle, "the reader and the Decodable oracle disagree on stored \(typeName)")
    }
    guard case .success(let event) = decoded else { return 0 }
    _ = event.data.canonicalBytes
    for state in States.all {
        do {
            try States.rules.decide(event, id: "DSA-FUZZ", state: state)
            let context = EventContext(position: 9, version: 9, effectiveDate: CalendarDate("2025-03-01")!)
            _ = Agreement.evolve(state, event, id: "DSA-FUZZ", context: context).map { RegisterRow($0, on: CalendarDate("2025-06-01")!) }
        } catch {}
    }
    return 0
}

/// Agreements at each stage of a valid history, built from the tour's events.
enum States {
    static let rules = AgreementRules()

    static let all: [Agreement?] = {
        let history: [(String, String)] = [
            (
                "AgreementProposed",
                #"{"recipient":{"id":"R-POL-1","name":"Metropolitan Police Service","category":"police"},"projectTitle":"Children missing education","purpose":"Locate children at risk","publicBenefit":"Children at risk are found sooner","datasets":["npd"],"dataItems":["name","date_of_birth","address","school"],"identifiability":"identifiable","specialCategory":false,"accessRoute":"extract","frequency":"regular","requestedStart":"2025-01-01","requestedEnd":"2026-12-31","proposer":"casework@dfe"}"#
            ),
            (
                "LegalReviewCompleted",
                #"{"reviewer":"legal@dfe","lawfulBasis":"public_task","gatewayId":"dpa-2018-s2p2","necessity":"No less intrusive means","dpiaReference":"DPIA-2025-07","outcome":"lawful"}"#
            ),
            (
                "AgreementApproved",
                #"{"panel":"DSAP","decisionDate":"2024-12-20","fiveSafes":{"people":{"rating":"met"},"projects":{"rating":"met"},"settings":{"rating":"met"},"data":{"rating":"met"},"outputs":{"rating":"met"}},"principlesMet":["clear_benefit"],"startDate":"2025-01-01","endDate":"2025-12-31","reviewDate":"2025-07-01"}"#
            ),
        ]
        var states: [Agreement?] = [nil]
        var state: Agreement?
        for (version, (type, json)) in history.enumerated() {
            let event = try! AgreementEvent(type: type, data: JSONParser.parse(Array(json.utf8)))
            let context = EventContext(position: UInt64(version), version: UInt64(version), effectiveDate: CalendarDate("2025-01-01")!)
            state = Agreement.evolve(state, event, id: "DSA-FUZZ", context: context)
            states.append(state)
        }
        return states
    }()
}

@main
enum FuzzEventsMain {
    static func main() throws {
        try FuzzMain.run(fuzzEvents)
    }
}
