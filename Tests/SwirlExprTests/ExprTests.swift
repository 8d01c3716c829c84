import Testing

@testable import SwirlExpr

@Suite struct ExprTests {
    let env: [String: ExprValue] = [
        "inputs": ["parameters": ["my-param": "7", "name": "swirl", "list": "[1,2,3]"]],
        "steps": ["flip-coin": ["outputs": ["result": "heads"]]],
        "items": [1, 2, 3, 4, 5],
        "people": [["name": "ann", "age": 30], ["name": "bob", "age": 17]],
        "workflow": ["name": "wf", "status": "Succeeded"],
        "n": 3,
        "f": 1.5,
    ]

    func eval(_ s: String) throws -> ExprValue { try Expr.evaluate(s, env: env) }

    @Test(arguments: [
        ("1 + 2 * 3 == 7", true),
        ("(1 + 2) * 3 == 9", true),
        ("2 ** 3 ** 2 == 512", true),
        ("-2 ** 2 == -4", true),
        ("10 % 3 == 1", true),
        ("7 / 2 == 3.5", true),
        ("1 < 2 && 2 < 3", true),
        ("true || false && false", true),
        ("not false and true", true),
        ("!true or true", true),
        ("1 == 1.0", true),
        ("'a' + 'b' == 'ab'", true),
        ("\"x\" != 'x'", false),
        ("2 in [1, 2, 3]", true),
        ("5 not in [1, 2, 3]", true),
        ("'name' in inputs.parameters", true),
        ("'swirl' matches '^sw'", true),
        ("'swirl' contains 'wir'", true),
        ("'swirl' startsWith 'sw' && 'swirl' endsWith 'rl'", true),
        ("'swirl' not matches 'x'", true),
        ("nil == nil", true),
        ("inputs.parameters.missing == nil", true),
        ("n > 2 ? true : false", true),
        ("1..3 == [1, 2, 3]", true),
        ("{'a': 1}.a == 1", true),
    ])
    func booleanExpressions(source: String, expected: Bool) throws {
        #expect(try Expr.evaluateBool(source, env: env) == expected, "\(source)")
    }

    @Test func arithmeticKeepsIntsAndFloatsApart() throws {
        #expect(try eval("1 + 2") == .int(3))
        #expect(try eval("1 + 2.0") == .double(3))
        #expect(try eval("4 / 2") == .double(2))
        #expect(try eval("2 ** 2") == .double(4))
        #expect(try eval("n * f") == .double(4.5))
        #expect(try eval("-n") == .int(-3))
    }

    @Test func ternaryAndNilCoalescing() throws {
        #expect(try eval("n > 5 ? 'big' : 'small'") == "small")
        #expect(try eval("n > 1 ? n > 2 ? 'a' : 'b' : 'c'") == "a")
        #expect(try eval("inputs.parameters.nope ?? 'default'") == "default")
        #expect(try eval("steps.other.outputs.result ?? 'absent'") == "absent")
        #expect(try eval("undefinedName ?? 1") == .int(1))
        #expect(try eval("inputs.parameters.name ?? 'x'") == "swirl")
        #expect(try eval("steps?.nope?.outputs") == .null)
    }

    @Test func memberAndIndexAccess() throws {
        #expect(try eval("inputs.parameters['my-param']") == "7")
        #expect(try eval("steps['flip-coin'].outputs.result") == "heads")
        #expect(try eval("items[0]") == .int(1))
        #expect(try eval("items[-1]") == .int(5))
        #expect(try eval("items[1:3]") == [2, 3])
        #expect(try eval("'hello'[1]") == "e")
        #expect(try eval("'hello'[1:3]") == "el")
        #expect(try eval("people[1].name") == "bob")
        #expect(try eval("inputs.parameters['nope']") == .null)
        #expect(try eval("unknown") == .null)
    }

    @Test func stringsAndNumbersDoNotMix() throws {
        #expect(throws: ExprError.self) { try eval("'1' + 1") }
        #expect(throws: ExprError.self) { try eval("inputs.parameters['my-param'] + 1") }
        #expect(try eval("asInt(inputs.parameters['my-param']) + 1") == .int(8))
        #expect(try eval("asFloat('1.5') * 2") == .double(3))
        #expect(try eval("asInt('1')") == .int(1))
        #expect(try eval("int(2.9)") == .int(2))
        #expect(try eval("float(2)") == .double(2))
        #expect(try eval("string(1.5)") == "1.5")
        #expect(throws: ExprError.self) { try eval("asInt('x')") }
    }

    @Test func closures() throws {
        #expect(try eval("filter(items, # > 2)") == [3, 4, 5])
        #expect(try eval("map(items, # * 10)") == [10, 20, 30, 40, 50])
        #expect(try eval("map(people, #.name)") == ["ann", "bob"])
        #expect(try eval("map(people, .name)") == ["ann", "bob"])
        #expect(try eval("filter(people, {.age >= 18})") == [["name": "ann", "age": 30]])
        #expect(try eval("all(items, # > 0)") == true)
        #expect(try eval("any(items, # > 4)") == true)
        #expect(try eval("none(items, # > 5)") == true)
        #expect(try eval("one(items, # == 3)") == true)
        #expect(try eval("count(items, # % 2 == 1)") == .int(3))
        #expect(try eval("find(items, # > 3)") == .int(4))
        #expect(try eval("findIndex(items, # > 3)") == .int(3))
        #expect(try eval("sum(items)") == .int(15))
        #expect(try eval("map(items, #index)") == [0, 1, 2, 3, 4])
        #expect(try eval("reduce(items, #acc + #, 0)") == .int(15))
        #expect(try eval("sortBy(people, .age)[0].name") == "bob")
        #expect(try eval("map(filter(items, # > 3), map([#], # + 1)[0])") == [5, 6])
        #expect(try eval("items | filter(# > 3) | map(# * 2)") == [8, 10])
        #expect(try eval("'a-b' | replace('-', '_') | upper()") == "A_B")
        #expect(try eval("'x' | sprig.upper()") == "X")
        #expect(throws: ExprError.self) { try eval("# + 1") }
        #expect(throws: ExprError.self) { try eval("filter(items, 1)") }
    }

    @Test func builtins() throws {
        #expect(try eval("len('héllo')") == .int(5))
        #expect(try eval("len(items)") == .int(5))
        #expect(try eval("upper('a') + lower('B')") == "Ab")
        #expect(try eval("trim('  x  ')") == "x")
        #expect(try eval("trim('xxaxx', 'x')") == "a")
        #expect(try eval("split('a,b,c', ',')") == ["a", "b", "c"])
        #expect(try eval("split('a,b,c', ',', 2)") == ["a", "b,c"])
        #expect(try eval("join(['a', 'b'], '-')") == "a-b")
        #expect(try eval("keys({'b': 1, 'a': 2})") == ["a", "b"])
        #expect(try eval("values({'b': 1, 'a': 2})") == [2, 1])
        #expect(try eval("first(items)") == .int(1))
        #expect(try eval("last(items)") == .int(5))
        #expect(try eval("first([])") == .null)
        #expect(try eval("toJson({'b': [1, 'x'], 'a': nil})") == #"{"a":null,"b":[1,"x"]}"#)
        #expect(try eval("fromJSON(inputs.parameters.list)[2]") == .int(3))
        #expect(try eval("jsonpath('{\"a\": {\"b\": [10, 20]}}', '$.a.b[1]')") == .int(20))
        #expect(try eval("jsonpath('{\"a\": [{\"n\": 1}, {\"n\": 2}]}', '$.a[*].n')") == [1, 2])
        #expect(try eval("jsonpath('{\"a-b\": 3}', \"$['a-b']\")") == .int(3))
        let employees = #"'{"employees": [{"name": "Baris", "age": 43}, {"name": "Mo", "age": 42}]}'"#
        #expect(try eval("jsonpath(\(employees), '$.employees[?(@.name==\"Baris\")].age')") == [43])
        #expect(try eval("jsonpath(\(employees), '$.employees[?(@.age < 43)].name')") == ["Mo"])
        #expect(try eval("jsonpath(\(employees), '$..name')") == ["Baris", "Mo"])
        #expect(throws: ExprError.self) { try eval("jsonpath(\(employees), '$.nope')") }
        #expect(try eval("max(1, 5, 3)") == .int(5))
        #expect(try eval("min([4, 2.5])") == .double(2.5))
        #expect(try eval("abs(-3)") == .int(3))
        #expect(try eval("replace('a-b-c', '-', '_')") == "a_b_c")
        #expect(try eval("indexOf('hello', 'l')") == .int(2))
        #expect(throws: ExprError.self) { try eval("now()") }
        #expect(throws: ExprError.self) { try eval("nosuchfunction(1)") }
    }

    @Test func literals() throws {
        #expect(try eval("0x1F") == .int(31))
        #expect(try eval("1_000") == .int(1000))
        #expect(try eval("1e3") == .double(1000))
        #expect(try eval("'it\\'s'") == "it's")
        #expect(try eval("\"tab\\tnew\\nline\"") == "tab\tnew\nline")
        #expect(try eval("`raw\\n`") == "raw\\n")
        #expect(try eval("[1, 'a', true, nil]") == [1, "a", true, .null])
        #expect(try eval("{a: 1, 'b-c': 2}") == ["a": 1, "b-c": 2])
        #expect(try eval("'\\u00e9'") == "é")
    }

    @Test func overflowIsAnErrorNotATrap() {
        #expect(throws: ExprError.self) { try eval("9223372036854775807 + 1") }
        #expect(throws: ExprError.self) { try eval("-9223372036854775807 - 2") }
        #expect(throws: ExprError.self) { try eval("9223372036854775807 * 2") }
        #expect(throws: ExprError.self) { try eval("-(-9223372036854775807 - 1)") }
        #expect(throws: ExprError.self) { try eval("99999999999999999999") }
        #expect(throws: ExprError.self) { try eval("1 % 0") }
        #expect(throws: ExprError.self) { try eval("int(1e300)") }
        #expect(throws: ExprError.self) { try eval("abs(-9223372036854775807 - 1)") }
        #expect((try? eval("(-9223372036854775807 - 1) % -1")) == .int(0))
        #expect((try? eval("1 / 0")) == .double(.infinity))
    }

    @Test(arguments: [
        ("1 +", 4),
        ("1 + * 2", 5),
        ("(1 + 2", 7),
        ("foo(", 5),
        ("a.", 3),
        ("'abc", 1),
        ("1 @ 2", 3),
        ("'a' + 1", 5),
        ("  'x' < 1", 7),
        ("items[9]", 6),
        ("nil.x", 5),
        ("[1, 2", 6),
        ("true ? 1", 9),
        ("len(1)", 1),
        ("x.y()", 3),  // a method call (expr-lang allows them); nil has no methods
        ("(1)(2)", 4),
    ])
    func errorColumns(source: String, column: Int) {
        do {
            _ = try Expr.evaluate(source, env: env)
            Issue.record("expected an error for \(source)")
        } catch let error as ExprError {
            #expect(error.column == column, "\(source): \(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func evaluateBoolRequiresBool() {
        #expect(throws: ExprError.self) { try Expr.evaluateBool("1 + 1", env: [:]) }
    }

    @Test func deepNestingIsRejected() {
        for source in [
            String(repeating: "(", count: 10000) + "1" + String(repeating: ")", count: 10000),
            String(repeating: "-", count: 10000) + "1",
            String(repeating: "[", count: 10000),
            Array(repeating: "1", count: 5000).joined(separator: " + "),
            String(repeating: "a.", count: 5000) + "b",
        ] {
            #expect(throws: ExprError.self) { try Expr.evaluate(source, env: [:]) }
        }
    }
}
