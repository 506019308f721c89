import AccordCore
import AccordJSON
import EventStore
import Foundation
import Testing
import WireProtocol

@Suite struct RequestTests {
    func parse(_ line: String) throws(RequestError) -> Request {
        let bytes = Array(line.utf8)
        return try bytes.withUnsafeBytes { raw in Result { () throws(RequestError) in try Request.parse(raw) } }.get()
    }

    func code(_ line: String) -> (JSONValue, ErrorCode)? {
        do {
            _ = try parse(line)
            return nil
        } catch {
            return (error.id, error.error.code)
        }
    }

    @Test func aRequestHasAnIdAnOpAndMembers() throws {
        let request = try parse(#"{"id":"a-1","op":"read","agreementId":"DSA-1","limit":5}"#)
        #expect(request.id == "a-1")
        #expect(request.op == "read")
        #expect(try request.string("agreementId") == "DSA-1")
        #expect(try request.limit() == 5)
        #expect(try request.direction() == .forward)
    }

    @Test func malformedLinesMapToStableCodes() {
        #expect(code("{oops")?.1 == .badJSON)
        #expect(code("[]")?.1 == .badJSON)
        #expect(code(#"{"op":"ping"}"#)?.1 == .badRequest)
        #expect(code(#"{"id":true,"op":"ping"}"#)?.1 == .badRequest)
        let noOp = code(#"{"id":9}"#)
        #expect(noOp?.0 == 9 && noOp?.1 == .badRequest)
    }

    @Test func membersAreCheckedAndNamed() throws {
        let request = try parse(#"{"id":1,"op":"x","limit":0,"direction":"up","types":["A",1],"expectedVersion":-1}"#)
        #expect(throws: WireError.badRequest("limit must be an integer from 1 to 1000", field: "limit")) { try request.limit() }
        #expect(throws: WireError.self) { try request.direction() }
        #expect(throws: WireError.self) { try request.optionalStrings("types") }
        #expect(throws: WireError.self) { try ExpectedVersion(json: request.members["expectedVersion"]!) }
        #expect(throws: WireError.self) { try request.string("missing") }
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
