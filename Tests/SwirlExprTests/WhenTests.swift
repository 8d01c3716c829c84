import Testing

@testable import SwirlExpr

@Suite struct WhenTests {
    @Test(arguments: [
        ("heads == heads", true),
        ("tails == heads", false),
        ("tails != heads", true),
        ("5 > 3", true),
        ("5 < 3", false),
        ("10 > 9", true),
        ("2.5 >= 2.50", true),
        ("5 == 5.0", true),
        ("\"a\" =~ \"^a\"", true),
        ("'abc' =~ 'c$'", true),
        ("'abc' !~ '^b'", true),
        ("true && false", false),
        ("true || false", true),
        ("heads == heads && 1 < 2", true),
        ("false || tails == tails", true),
        ("!(1 > 2)", true),
        ("!false", true),
        ("a in (a, b)", true),
        ("c in (a, b)", false),
        ("2 in (1, 2, 3)", true),
        ("Succeeded == Succeeded", true),
        ("'hello world' == \"hello world\"", true),
        ("1 + 2 * 3 == 7", true),
        ("2 ** 3 == 8", true),
        ("\"5\" == 5", false),
        ("abc < abd", true),
        ("true", true),
        ("false == false", true),
        ("my.value == my.value", true),
        ("1 > 2 ? false : true", true),
        ("true && true || false && false", true),
        ("-1 < 0", true),
        ("", true),
        ("  ", true),
    ])
    func evaluates(text: String, expected: Bool) throws {
        #expect(try When.evaluate(text) == expected, "\(text)")
    }

    @Test(arguments: [
        ("heads ==", 9),
        ("(1 > 2", 7),
        ("hello world == x", 7),
        ("5 > abc", 3),
        ("'abc", 1),
        ("1 && true", 3),
        ("a @ b", 3),
        ("heads", 1),
    ])
    func rejectsWithColumn(text: String, column: Int) {
        do {
            _ = try When.evaluate(text)
            Issue.record("expected an error for \(text)")
        } catch let error as ExprError {
            #expect(error.column == column, "\(text): \(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func deepInputDoesNotCrash() {
        let deep = String(repeating: "(", count: 10000) + "true" + String(repeating: ")", count: 10000)
        #expect(throws: ExprError.self) { try When.evaluate(deep) }
        let bangs = String(repeating: "!", count: 10000) + "true"
        #expect(throws: ExprError.self) { try When.evaluate(bangs) }
        let long = Array(repeating: "true", count: 5000).joined(separator: " && ")
        #expect(throws: ExprError.self) { try When.evaluate(long) }
    }
}
