import AccordJSON
import Agreements

/// libFuzzer entry: the input's first line names an event type, the rest is
/// its `data`. The event is decoded, decided against agreements in several
/// states (none, proposed, reviewed, approved), and folded when allowed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvents(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let typeName = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = newline < bytes.count ? Array(bytes[(newline + 1)...]) : []
    guard let value = try? JSONParser.parse(body), let event = try? AgreementEvent(type: typeName, data: value) else { return 0 }
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
            ("AgreementProposed", #"{"recipient":{"id":"R-POL-1","name":"Metropolitan Police Service","category":"police"},"projectTitle":"Children missing education","purpose":"Locate children at risk","publicBenefit":"Children at risk are found sooner","datasets":["npd"],"dataItems":["name","date_of_birth","address","school"],"identifiability":"identifiable","specialCategory":false,"accessRoute":"extract","frequency":"regular","requestedStart":"2025-01-01","requestedEnd":"2026-12-31","proposer":"casework@dfe"}"#),
            ("LegalReviewCompleted", #"{"reviewer":"legal@dfe","lawfulBasis":"public_task","gatewayId":"dpa-2018-s2p2","necessity":"No less intrusive means","dpiaReference":"DPIA-2025-07","outcome":"lawful"}"#),
            ("AgreementApproved", #"{"panel":"DSAP","decisionDate":"2024-12-20","fiveSafes":{"people":{"rating":"met"},"projects":{"rating":"met"},"settings":{"rating":"met"},"data":{"rating":"met"},"outputs":{"rating":"met"}},"principlesMet":["clear_benefit"],"startDate":"2025-01-01","endDate":"2025-12-31","reviewDate":"2025-07-01"}"#),
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

import Foundation

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// With libFuzzer (`ops/fuzz`): hands the command line to libFuzzer's driver.
@main
enum FuzzEvents {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzEvents))
    }
}
#else

/// Without libFuzzer (a normal build): replays the files or directories given
/// as arguments through the entry point, for regression runs of a corpus.
@main
enum ReplayEvents {
    static func main() throws {
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory)
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: argument).sorted().map { argument + "/" + $0 } : [argument]
            for file in files {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                _ = bytes.withUnsafeBufferPointer { fuzzEvents($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
                count += 1
            }
        }
        print("replayed \(count) inputs without a crash")
    }
}
#endif
