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
}
