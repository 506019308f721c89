import AccordJSON
import Testing

/// Accord's canonical form is RFC 8785 (JCS): checked against the RFC's own
/// number samples (Appendix B) and the reference implementation's test data
/// (github.com/cyberphone/json-canonicalization, testdata/input and output).
@Suite struct RFC8785Tests {
    /// RFC 8785 Appendix B: IEEE 754 bit patterns and ECMAScript's text for them.
    @Test(
        arguments: [
            (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"), (0x0000_0000_0000_0001, "5e-324"),
            (0x8000_0000_0000_0001, "-5e-324"), (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
            (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"), (0x4340_0000_0000_0000, "9007199254740992"),
            (0xC340_0000_0000_0000, "-9007199254740992"), (0x4430_0000_0000_0000, "295147905179352830000"),
            (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
            (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"), (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
            (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"), (0x444B_1AE4_D6E2_EF50, "1e+21"),
            (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
            (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
            (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
            (0x41B3_DE43_5555_5557, "333333333.33333343"), (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
            (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
        ] as [(UInt64, String)])
    func numbersAreWrittenAsECMAScriptWritesThem(bits: UInt64, text: String) {
        var writer = JSONWriter()
        writer.write(double: Double(bitPattern: bits))
        #expect(String(decoding: writer.bytes, as: UTF8.self) == text)
    }

    /// The reference implementation's input and output pairs (values, structures, weird, the README's sample).
    @Test(arguments: [
        (
            #"{"numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001], "#
                + #""escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#,
            #"{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}"#
        ),
        (
            #"{"1": {"f": {"f": "hi","F": 5} ,"\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ { } ], "A": { }}"#,
            #"{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}"#
        ),
        (
            #"{"\u20ac": "Euro Sign", "1": "One", "\u0080": "Control\u007f", "\ud83d\ude02": "Smiley", "#
                + #""\u00f6": "Latin Small Letter O With Diaeresis", "\ufb33": "Hebrew Letter Dalet With Dagesh", "</script>": "Browser Challenge"}"#,
            "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u{80}\":\"Control\u{7f}\",\"ö\":\"Latin Small Letter O With Diaeresis\","
                + "\"€\":\"Euro Sign\",\"😂\":\"Smiley\",\"דּ\":\"Hebrew Letter Dalet With Dagesh\"}"
        ),
        (#"{"n": [1e16, 1E21, 0.1, -0.0, 1.5e-7, 123e-20]}"#, #"{"n":[10000000000000000,1e+21,0.1,0,1.5e-7,1.23e-18]}"#),
    ])
    func theReferenceVectorsCanonicalizeExactly(input: String, output: String) throws {
        #expect(try JSONParser.parse(input).canonicalString == output)
    }

    /// Re-encoding canonical text is the identity, for numbers across the whole double range.
    @Test func reencodingIsTheIdentity() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let double = Double(bitPattern: generator.next())
            guard double.isFinite else { continue }
            var writer = JSONWriter()
            writer.write(double: double)
            let text = String(decoding: writer.bytes, as: UTF8.self)
            let back = try JSONParser.parse("[\(text)]")
            #expect(back.canonicalString == "[\(text)]", "\(double)")
            guard case .array(let elements) = back else { continue }
            #expect(elements.first?.doubleValue == (double == 0 ? 0 : double), "\(text) reads back to \(double)")
        }
    }

    @Test func integersBeyondWhatADoubleHoldsAreFoundByPath() throws {
        let value = try JSONParser.parse(#"{"a":[1,{"b":9007199254740991}],"c":{"d":[0,-9007199254740992]}}"#)
        #expect(value.firstInexactInteger(at: "data") == "data.c.d[1]")
        #expect(try JSONParser.parse(#"{"a":-9007199254740991,"b":1.5e300}"#).firstInexactInteger(at: "x") == nil)
    }
}
