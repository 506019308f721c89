import AccordCore
import AccordJSON
import EventStore
import Foundation
import Testing
import WireProtocol

@Suite struct RequestTests {
    func parse(_ line: String) throws(RequestError) -> Request {
        let bytes = Array(line.utf8)
        return try bytes.withUnsafeBytes { raw in Result { () throws(RequestError) in try Request.decode(raw) } }.get()
    }

    func code(_ line: String) -> (JSONValue, ErrorCode)? {
        do {
            _ = try parse(line)
            return nil
        } catch {
            return (error.id, error.error.code)
        }
    }

    func message(_ line: String) -> String? {
        do {
            _ = try parse(line)
            return nil
        } catch {
            return error.error.message
        }
    }

    @Test func aRequestDecodesIntoItsTypedCommand() throws {
        let request = try parse(#"{"id":"a-1","op":"read","agreementId":"DSA-1","limit":5}"#)
        #expect(request.id == "a-1")
        guard case .read(let read) = request.command else {
            Issue.record("a read")
            return
        }
        #expect(read.agreementId.rawValue == "DSA-1" && read.limit == 5 && read.direction == .forward && read.from == nil)
    }

    @Test func malformedLinesMapToStableCodes() {
        #expect(code("{oops")?.1 == .badJSON)
        #expect(code("[]")?.1 == .badJSON)
        #expect(code(#"{"op":"ping"}"#)?.1 == .badRequest)
        #expect(code(#"{"id":true,"op":"ping"}"#)?.1 == .badRequest)
        let noOp = code(#"{"id":9}"#)
        #expect(noOp?.0 == 9 && noOp?.1 == .badRequest)
        #expect(code(#"{"id":1,"op":"pong"}"#)?.1 == .unknownOp)
    }

    @Test func membersAreCheckedAndNamed() throws {
        #expect(message(#"{"id":1,"op":"read","agreementId":"A","limit":0}"#) == "limit must be an integer from 1 to 1000")
        #expect(code(#"{"id":1,"op":"read","agreementId":"A","direction":"up"}"#)?.1 == .badRequest)
        #expect(code(#"{"id":1,"op":"read_all","types":["A",1]}"#)?.1 == .badRequest)
        #expect(code(#"{"id":1,"op":"append","agreementId":"A","expectedVersion":-1,"events":[]}"#)?.1 == .badRequest)
        #expect(message(#"{"id":1,"op":"read"}"#) == "agreementId is required")
        #expect(
            message(#"{"id":1,"op":"read","agreementId":"A","direction":"up"}"#)
                == #"direction must be one of forward, backward; got "up""#)
    }

    @Test func anUnknownMemberIsRefusedByName() throws {
        // A typo must never turn a conditional append into an unconditional one.
        let typo = #"{"id":1,"op":"append","agreementId":"A","expectedVerison":3,"events":[]}"#
        #expect(code(typo)?.1 == .badRequest)
        #expect(message(typo)?.contains(#"no member "expectedVerison""#) == true)
        let event =
            #"{"id":1,"op":"append","agreementId":"A","events":[{"eventId":"0193a000-0000-7000-8000-000000000043","type":"T","data":{},"extra":1}]}"#
        #expect(message(event)?.contains(#"no member "extra""#) == true)
        #expect(message(#"{"id":1,"op":"ping","verbose":true}"#)?.contains("it takes no members") == true)
    }

    @Test func expectedVersionsRoundTrip() throws {
        for expected in [ExpectedVersion.any, .noStream, .streamExists, .exact(7)] {
            #expect(try ExpectedVersion(json: expected.json) == expected)
        }
    }

    @Test func domainAndStoreErrorsMapToCodes() {
        #expect(
            WireError(EventStoreError.wrongExpectedVersion(stream: try! StreamName("S"), expected: .exact(1), actual: nil)).details[
                "actual"] == .null)
        #expect(WireError(EventStoreError.storageFull("full")).code == .storageFull)
        #expect(WireError(EventStoreError.shuttingDown).code == .shuttingDown)
        struct Unexpected: Error {}
        #expect(WireError(Unexpected()).code == .internal)
    }

    @Test func responsesAreOneLineOfCanonicalJSON() {
        let ok = String(decoding: Response.ok(.integer(3), ["b": 1, "a": 2]), as: UTF8.self)
        #expect(ok == #"{"id":3,"ok":true,"result":{"a":2,"b":1}}"# + "\n")
        let error = String(decoding: Response.error(.null, WireError(.unknownOp, "no")), as: UTF8.self)
        #expect(error == #"{"id":null,"ok":false,"error":{"code":"unknown_op","message":"no"}}"# + "\n")
    }

    /// The path to the first text not in NFC, or the first inexact integer, at any depth: spelled only on failure.
    @Test func anEventsOddValuesAreNamedByTheirPath() {
        func append(_ data: String) -> String {
            #"{"id":1,"op":"append","agreementId":"DSA-1","events":[{"eventId":"0193a000-0000-7000-8000-000000000001","type":"T","data":{}},"#
                + #"{"eventId":"0193a000-0000-7000-8000-000000000002","type":"T","data":"# + data + "}]}"
        }
        #expect(
            message(append(#"{"a":[1,{"b":"café"}]}"#))?.hasPrefix("events[1].data.a[1].b is not in Unicode normalization form C") == true)
        #expect(message(append(#"{"é":1}"#))?.hasPrefix("events[1].data.é is not in Unicode") == true)
        #expect(message(append(#"{"a":{"b":[9007199254740993]}}"#))?.hasPrefix("events[1].data.a.b[0] is an integer beyond") == true)
        #expect(message(append(#"{"a":"café 漢字 plain ascii long enough to span words"}"#)) == nil)
    }

    @Test func asciiIsFoundEightBytesAtATime() {
        for length in 1..<20 {
            #expect(String(repeating: "a", count: length).isNFC)
            for position in 0..<length {
                // A decomposed letter at each offset of the word-at-a-time scan must not pass as ASCII.
                let prefix = String(repeating: "a", count: position)
                let suffix = String(repeating: "a", count: length - position - 1)
                #expect(!(prefix + "e\u{301}" + suffix).isNFC, "at \(position) of \(length)")
                #expect((prefix + "é" + suffix).isNFC, "at \(position) of \(length)")
            }
        }
    }
}
