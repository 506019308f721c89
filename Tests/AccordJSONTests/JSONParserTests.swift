import AccordJSON
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: [
        (#"{}"#, #"{}"#),
        (#" { "b" : 1 , "a" : [ ] } "#, #"{"a":[],"b":1}"#),
        (#"{"k":"tab\there \"q\" \\ \/ \u0041\u00e9\ud83d\ude00"}"#, #"{"k":"tab\there \"q\" \\ / Aé😀"}"#),
        (
            #"{"n":[0,-0,1.0,1.5,-2e-7,1E+21,9007199254740993,123456789012345678901234567890]}"#,
            #"{"n":[0,0,1,1.5,-2e-7,1e+21,9007199254740993,1.2345678901234568e+29]}"#
        ),
        (#"{"c":"\u001f\u0000"}"#, #"{"c":"\u001f\u0000"}"#),
        (#"{"é":1,"z":2,"a":3,"É":4}"#, #"{"a":3,"z":2,"É":4,"é":1}"#),
        (#"{"t":true,"f":false,"n":null}"#, #"{"f":false,"n":null,"t":true}"#),
    ])
    func canonicalForm(input: String, canonical: String) throws {
        let value = try JSONParser.parse(input)
        #expect(value.canonicalString == canonical)
        // Canonical text is a fixed point.
        #expect(try JSONParser.parse(canonical).canonicalString == canonical)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1",
        "\"unterminated", "\"bad \\x escape\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\u12\"", "nul", "tru", "[1] 2",
        "\"raw\ncontrol\"", "NaN", "Infinity", "1e999",
    ])
    func invalidTextIsRefused(input: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(input) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: JSONError.self) { try JSONParser.parse([0x22, 0xC3, 0x22]) }
    }

    @Test func duplicateKeysAreRefused() {
        #expect(throws: JSONError.duplicateKey("a")) { try JSONParser.parse(#"{"a":1,"a":2}"#) }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONError.tooDeep(limit: JSONParser.defaultMaxDepth)) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONParser.parse(fine)
    }

    @Test func canonicalJSONHoldsOnlyObjects() throws {
        #expect(throws: JSONError.notAnObject) { try CanonicalJSON(.array([])) }
        #expect(try CanonicalJSON(parsing: Array(#" {"b":1, "a":2} "#.utf8)).text == #"{"a":2,"b":1}"#)
        #expect(CanonicalJSON.emptyObject.text == "{}")
    }

    @Test func accessors() throws {
        let value = try JSONParser.parse(#"{"s":"x","i":3,"d":2.0,"b":true,"a":[1],"o":{"k":null}}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.int64Value == 3)
        #expect(value["d"]?.int64Value == 2)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["o"]?["k"]?.isNull == true)
        #expect(value["missing"] == nil)
    }
}

@Suite struct EncoderTests {
    struct Inner: Codable, Equatable {
        var z: Int
        var a: [String]
    }
    struct Outer: Codable, Equatable {
        var name: String
        var inner: Inner
        var optional: Double?
        var flag: Bool
        var list: [Inner]
    }

    @Test func canonicalBytesMatchTheValuePath() throws {
        let value = Outer(name: "é\n", inner: Inner(z: 3, a: ["x", "y"]), optional: nil, flag: true, list: [Inner(z: -1, a: [])])
        let direct = try JSONValueEncoder().canonicalBytes(value)
        let viaValue = try JSONValueEncoder().encode(value).canonicalBytes
        #expect(direct == viaValue)
        #expect(
            String(decoding: direct, as: UTF8.self) == #"{"flag":true,"inner":{"a":["x","y"],"z":3},"list":[{"a":[],"z":-1}],"name":"é\n"}"#
        )
        #expect(try JSONValueDecoder().decode(Outer.self, from: direct) == value)
    }
}

@Suite struct ObjectOrderTests {
    /// Objects of every size up to 40, members in a shuffled order (sorted in
    /// place up to 16, through an index beyond): the canonical order, and a
    /// repeated key refused wherever it lands.
    @Test func membersInAnyOrderComeOutCanonicalAndRepeatsAreRefused() throws {
        var generator = SystemRandomNumberGenerator()
        for size in 0...40 {
            let keys = (0..<size).map { "k\(($0 * 7919) % 101)é\($0 % 3 == 0 ? "\u{E000}" : "")" }
            let members = keys.enumerated().map { ($0.element, $0.offset) }.shuffled(using: &generator)
            let text = "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
            let parsed = try JSONParser.parse(text)
            let expected = JSONObject(
                Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.element, JSONValue.integer(Int64($0.offset))) }))
            #expect(parsed == .object(expected), "size \(size)")
            guard let repeated = members.first else { continue }
            let withRepeat =
                "{" + (members + [repeated]).shuffled(using: &generator).map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
            #expect(throws: JSONError.self, "size \(size)") { try JSONParser.parse(withRepeat) }
        }
    }
}
