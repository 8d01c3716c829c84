import Testing

@testable import SwirlExpr

@Suite struct ExprValueTests {
    @Test func parsesJSON() {
        #expect(
            ExprValue(json: #"{"a": [1, 2.5, "x", true, null], "b": {}}"#)
                == ["a": [1, 2.5, "x", true, .null], "b": .map([:])])
        #expect(ExprValue(json: "1e2") == .double(100))
        #expect(ExprValue(json: "-7") == .int(-7))
        #expect(ExprValue(json: "123456789012345678901234") == .double(123456789012345678901234))
        #expect(ExprValue(json: #""\u00e9\n\ud83d\ude00""#) == "é\n😀")
        for bad in [
            "", "{", "[1,]", "01", "tru", "\"abc", "{\"a\" 1}", "1 2", "[" + String(repeating: "[", count: 600),
        ] {
            #expect(ExprValue(json: bad) == nil, "\(bad)")
        }
    }

    @Test func jsonTextIsCompactAndSorted() {
        let v: ExprValue = ["b": [1, 2.5, "q\""], "a": .null, "c": ["z": true]]
        #expect(v.jsonText == #"{"a":null,"b":[1,2.5,"q\""],"c":{"z":true}}"#)
        #expect(ExprValue.double(1).jsonText == "1")
        #expect(ExprValue.double(1e21).jsonText == "1e+21")
        #expect(ExprValue.double(1e-7).jsonText == "1e-7")
        #expect(ExprValue.double(123456789).jsonText == "123456789")
        #expect(ExprValue.string("\u{1}").jsonText == #""\u0001""#)
    }

    @Test func templateTextMatchesGo() {
        #expect(ExprValue.string("x").templateText == "x")
        #expect(ExprValue.int(-3).templateText == "-3")
        #expect(ExprValue.double(1).templateText == "1")
        #expect(ExprValue.double(1.5).templateText == "1.5")
        #expect(ExprValue.double(100000).templateText == "100000")
        #expect(ExprValue.double(1e6).templateText == "1e+06")
        #expect(ExprValue.double(1234567).templateText == "1.234567e+06")
        #expect(ExprValue.double(0.0001).templateText == "0.0001")
        #expect(ExprValue.double(0.00001).templateText == "1e-05")
        #expect(ExprValue.double(-2.25).templateText == "-2.25")
        #expect(ExprValue.double(1e100).templateText == "1e+100")
        #expect(ExprValue.bool(true).templateText == "true")
        #expect(ExprValue.null.templateText == "null")
        #expect(ExprValue.array([1, "a"]).templateText == #"[1,"a"]"#)
    }

    @Test func roundTrips() {
        let v: ExprValue = ["list": [1, -2, 3.25, "s", false, .null], "m": ["k": "v"]]
        #expect(ExprValue(json: v.jsonText) == v)
    }
}
