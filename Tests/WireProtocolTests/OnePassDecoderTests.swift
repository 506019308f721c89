import AccordJSON
import Testing

@testable import WireProtocol

/// The one-pass decoder (appends and pings) must take only what the
/// general decoder takes, and give the same request: same id, same events,
/// the same canonical bytes for `data` and `metadata`.
@Suite struct OnePassDecoderTests {
    /// `nil` when the one pass declines the line; otherwise whether both ways agree.
    static func agrees(_ line: [UInt8]) -> Bool? {
        line.withUnsafeBytes { raw -> Bool? in
            guard let fast = OnePassDecoder.decode(raw) else { return nil }
            let general = Result { () throws(RequestError) in try Request.decodeParsing(raw) }
            guard case .success(let slow) = general else { return false }
            return fast.id == slow.id && fast.command == slow.command
        }
    }

    static func agrees(_ line: String) -> Bool? { agrees(Array(line.utf8)) }

    /// Every request of the example sessions and every variant the error
    /// message test makes of it, written canonically, with members reversed
    /// and spaced, and with strings escaped: whatever the one pass takes,
    /// the general way decodes equal.
    @Test func everyVariantOfTheExamplesDecodesAsTheGeneralWayDoes() throws {
        var (taken, disagreeing) = (0, [String]())
        for request in try ErrorMessageTests.exampleRequests() {
            for variant in ErrorMessageTests.variants(of: .object(request)) {
                for text in [variant.canonicalString, Self.scrambled(variant), Self.scrambled(variant, escaping: true)] {
                    switch Self.agrees(text) {
                    case nil: continue
                    case true?: taken += 1
                    case false?: disagreeing.append(text)
                    }
                }
            }
        }
        #expect(disagreeing.isEmpty, "\(disagreeing.prefix(3))")
        #expect(taken > 300, "the one pass takes the valid appends (\(taken))")
    }

    /// A valid append in any layout is taken by the one pass, not only the canonical one.
    @Test func validAppendsInAnyLayoutTakeTheOnePass() throws {
        let appends = try ErrorMessageTests.exampleRequests().filter { $0["op"] == "append" }
        #expect(!appends.isEmpty)
        for request in appends {
            let valid = Array(JSONValue.object(request).canonicalBytes).withUnsafeBytes { raw in
                (try? Request.decodeParsing(raw)) != nil
            }
            guard valid else { continue }
            #expect(Self.agrees(JSONValue.object(request).canonicalString) == true)
            #expect(Self.agrees(Self.scrambled(.object(request))) == true)
        }
    }

    /// Odd-but-valid values and faults at the edges of what the one pass reads.
    @Test func edgesDecodeAsTheGeneralWayDoesOrFallBack() {
        // `data` is the request's fourth level: 61 objects reach the parser's 64, 62 pass it.
        let nested: String = String(repeating: #"{"a":"#, count: 61) + "1" + String(repeating: "}", count: 61)
        let tooDeep: String = String(repeating: #"{"a":"#, count: 62) + "1" + String(repeating: "}", count: 62)
        let tooDeepArrays: String = #"{"a":"# + String(repeating: "[", count: 61) + String(repeating: "]", count: 61) + "}"
        let data: [String] = [
            #"{"n":-0,"m":1.0,"e":1e2,"E":1E+2,"f":0.1,"g":-1.5e-7,"h":1e21}"#,
            #"{"big":9007199254740991,"neg":-9007199254740991,"plain":123456789012345}"#,
            #"{"over":9007199254740992}"#, #"{"huge":12345678901234567890}"#, #"{"inf":1e999}"#,
            #"{"b":1,"a":2,"a":3}"#, #"{"a":{"z":1,"y":{"x":[3,{"w":1,"v":2}]}}}"#,
            #"{"é":1,"e":2,"\uD834\uDD1E":3,"\uFFFF":4,"𝄞":5,"":6}"#, #"{"𝄞":5,"￿":4}"#,
            #"{"s":"e\u0301"}"#, #"{"s":"\u00e9","t":"\n\t\"\\\/","u":"\u0000\u001f"}"#, #"{"s":"é"}"#, #"{"é":"e"}"#,
            #"{"a":01}"#, #"{"a":-}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1e}"#, #"{"a":tru}"#, #"{"a":nul}"#,
            #"{"a":[1,]}"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":"x"#, #"{"a":"\ud800"}"#, #"{"a":"\x"}"#,
            #"{ "a" : [ ] , "b" : { } , "c" : null , "d" : true , "e" : false }"#,
            nested, tooDeep, tooDeepArrays,
        ]
        var taken = 0
        for object in data {
            for line in [
                #"{"id":1,"op":"append","agreementId":"DSA-1","events":[{"eventId":"0190b2a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b","type":"T","data":\#(object)}]}"#,
                #"{"events":[{"metadata":\#(object),"data":{},"type":"T","eventId":"0190b2a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b"}],"agreementId":"DSA-1","op":"append","id":"x"}"#,
            ] {
                let agreed = Self.agrees(line)
                #expect(agreed != false, "\(line)")
                if agreed == true { taken += 1 }
            }
        }
        #expect(taken >= 20)
        let faults = [
            #"{"id":1,"op":"append","agreementId":"DSA-1","events":[]} x"#,
            #"{"id":1,"op":"append","agreementId":"DSA-1","events":[],"id":2}"#,
            #"{"id":1.5,"op":"append","agreementId":"DSA-1","events":[]}"#,
            #"{"id":1,"op":"append","agreementId":"DSA-1","events":[],"expectedVersion":null}"#,
            #"{"id":1,"op":"append","agreementId":"DSA-1","events":[{"eventId":"x","type":"T","data":{}}]}"#,
            #"{"id":1,"op":"append","agreementId":"DSA-1","events":[{"eventId":"0190b2a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b","type":"T","data":[]}]}"#,
            #"{"id":1,"op":"append","agreementId":"DSA-1","events":[{"eventId":"0190b2a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b","type":"T","data":{},"metadata":null}]}"#,
            #"{"id":1,"op":"append","agreementId":"","events":[]}"#, #"{"id":1,"op":"read","agreementId":"DSA-1"}"#,
            #"{"id":1,"op":"append","agreementId":"DSA-1","events":[],"extra":1}"#,
        ]
        for line in faults { #expect(Self.agrees(line) == nil, "\(line)") }
        #expect(Self.agrees(#"{"id":1,"op":"append","agreementId":"DSA-1","events":[],"expectedVersion":3}"#) == true)
        for ping in [#"{"id":1,"op":"ping"}"#, #" { "op" : "ping" , "id" : "p-1" } "#] { #expect(Self.agrees(ping) == true, "\(ping)") }
        for refused in [
            #"{"id":1,"op":"ping","events":[]}"#, #"{"id":1,"op":"ping","agreementId":"DSA-1"}"#, #"{"op":"ping"}"#,
            #"{"id":1,"op":"ping","op":"ping"}"#, #"{"id":null,"op":"ping"}"#, #"{"id":1,"op":"pong"}"#,
        ] {
            #expect(Self.agrees(refused) == nil, "\(refused)")
        }
        #expect(Self.agrees([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) == nil)
    }

    /// Text is read eight bytes at a time: an escape, a non-ASCII character
    /// or a raw control character is found at every offset of a word.
    @Test func textIsReadWholeAtEveryOffset() {
        for length in 1..<20 {
            for offset in 0..<length {
                // A raw control character and a decomposed é are refused; the rest are taken.
                for (special, taken) in [
                    (#"\""#, true), (#"\\"#, true), (#"\n"#, true), ("é", true), ("\u{7F}", true), ("\u{1}", false), ("e\u{301}", false),
                ] {
                    let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: length - offset - 1)
                    let line =
                        #"{"id":1,"op":"append","agreementId":"DSA-1","events":[{"eventId":"0190b2a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b","type":"T","data":{"s":"\#(text)"}}]}"#
                    #expect(Self.agrees(line) == (taken ? true : nil), "\(line)")
                }
            }
        }
    }

    /// `value` as JSON with every object's members in reverse order, white
    /// space around every token and, when `escaping`, every string's
    /// characters other than letters and digits written as `\u` escapes.
    static func scrambled(_ value: JSONValue, escaping: Bool = false) -> String {
        switch value {
        case .object(let members):
            let parts = members.orderedKeys.reversed().map { key in
                "\(scrambled(.string(key), escaping: escaping)) : \(scrambled(members[key]!, escaping: escaping))"
            }
            return "{ " + parts.joined(separator: " ,\n ") + " }"
        case .array(let elements): return "[ " + elements.map { scrambled($0, escaping: escaping) }.joined(separator: " , ") + " ]"
        case .string(let text) where escaping:
            let escaped = text.utf16.map { unit -> String in
                let scalar = Unicode.Scalar(unit).map(Character.init)
                if let scalar, scalar.isLetter || scalar.isNumber, unit < 0x80 { return String(scalar) }
                return "\\u" + String(repeating: "0", count: 4 - String(unit, radix: 16).count) + String(unit, radix: 16)
            }
            return "\"" + escaped.joined() + "\""
        default: return value.canonicalString
        }
    }
}
