import Testing

@testable import SwirlExpr

@Suite struct SprigTests {
    let env: [String: ExprValue] = ["s": "  Hello World  ", "n": "42", "empty": "", "xs": ["a", "b"]]

    func eval(_ s: String) throws -> ExprValue { try Expr.evaluate(s, env: env) }

    static let cases: [(String, ExprValue)] = [
        ("sprig.trim(s)", "Hello World"),
        ("sprig.upper('abc')", "ABC"),
        ("sprig.lower('ABC')", "abc"),
        ("sprig.replace('-', '_', 'a-b-c')", "a_b_c"),
        ("sprig.contains('ell', 'hello')", true),
        ("sprig.contains('xyz', 'hello')", false),
        ("sprig.hasPrefix('he', 'hello')", true),
        ("sprig.hasSuffix('lo', 'hello')", true),
        ("sprig.toString(5)", "5"),
        ("sprig.toString(1.5)", "1.5"),
        ("sprig.atoi(n)", 42),
        ("sprig.atoi('x')", 0),
        ("sprig.int(n) + 1", 43),
        ("sprig.int('1.0')", 1),
        ("sprig.int('nope')", 0),
        ("sprig.float64('2.5')", 2.5),
        ("sprig.default('d', empty)", "d"),
        ("sprig.default('d', n)", "42"),
        ("sprig.default('d')", "d"),
        ("sprig.empty(empty)", true),
        ("sprig.empty(xs)", false),
        ("sprig.list(1, 'a')", [1, "a"]),
        ("sprig.dict('a', 1, 'b', 'x')", ["a": 1, "b": "x"]),
        ("sprig.join(',', xs)", "a,b"),
        ("sprig.splitList(',', 'a,b,,c')", ["a", "b", "", "c"]),
        ("sprig.b64enc('hello')", "aGVsbG8="),
        ("sprig.b64dec('aGVsbG8=')", "hello"),
        ("sprig.add(1, 2, '3')", 6),
        ("sprig.sub(10, 4)", 6),
        ("sprig.mul(2, 3, 4)", 24),
        ("sprig.div(7, 2)", 3),
        ("sprig.max(1, 9, 3)", 9),
        ("sprig.min(4, 2, 8)", 2),
        ("sprig.quote('a\"b', 'c')", "\"a\\\"b\" \"c\""),
        ("sprig.squote('a')", "'a'"),
        ("sprig.trimPrefix('v', 'v1.2')", "1.2"),
        ("sprig.trimSuffix('.txt', 'a.txt')", "a"),
        ("sprig.title('hello big-world')", "Hello Big-World"),
        ("sprig.repeat(3, 'ab')", "ababab"),
        ("sprig.trimAll('$', '$5.00$')", "5.00"),
        ("sprig.nospace('a b  c')", "abc"),
        ("sprig.until(3)", [0, 1, 2]),
    ]

    @Test(arguments: cases)
    func functions(source: String, expected: ExprValue) throws {
        #expect(try eval(source) == expected, "\(source)")
    }

    @Test func errors() {
        #expect(throws: ExprError.self) { try eval("sprig.div(1, 0)") }
        #expect(throws: ExprError.self) { try eval("sprig.add(9223372036854775807, 1)") }
        #expect(throws: ExprError.self) { try eval("sprig.env('HOME')") }
        #expect(throws: ExprError.self) { try eval("sprig.nope()") }
        #expect(throws: ExprError.self) { try eval("sprig.upper()") }
        #expect(throws: ExprError.self) { try eval("sprig.repeat(9999999999, 'ab')") }
    }
}
