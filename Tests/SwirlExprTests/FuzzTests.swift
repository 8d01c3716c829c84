import Testing

@testable import SwirlExpr

/// Feeds random token soup to every entry point: errors are fine, crashes and hangs are not.
@Suite struct FuzzTests {
    static let fragments = [
        "a", "b", "A-1", "heads", "x.y", "items", "#", "#index", ".name", "1", "0", "-1", "2.5", "1e9", "0x7f",
        "9223372036854775807", "'s'", "\"d\"", "'", "\"", "`", "(", ")", "[", "]", "{", "}", ",", ":", "?", "??",
        "?.", ".", "..", "+", "-", "*", "/", "%", "**", "^", "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "&&", "||",
        "!", "and", "or", "not", "in", "matches", "contains", "startsWith", "endsWith", "true", "false", "nil",
        "len(", "int(", "filter(", "map(", "all(", "sum(", "reduce(", "sortBy(", "sprig.add(", "sprig.repeat(",
        "jsonpath(", "split(", "toJson(", "fromJSON(", "asInt(", "first(", "max(", ".Succeeded", ".AllFailed",
        "{{", "}}", "{{=", " ", "\\", "é", "\u{0}", "$", "[*]", "@", "-9223372036854775808",
    ]

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11 ^ state
        }
    }

    @Test func randomTokenSoupNeverCrashes() {
        var rng = Generator(state: 0x5EED)
        let env: [String: ExprValue] = [
            "a": 1, "b": "two", "items": [1, 2, 3], "x": ["y": [1, 2]], "heads": "heads", "s": "9223372036854775807",
        ]
        var outcomes = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 1...14, using: &rng)
            let text = (0..<count).map { _ in Self.fragments.randomElement(using: &rng) ?? "" }
                .joined(separator: Bool.random(using: &rng) ? " " : "")
            if (try? Expr.evaluate(text, env: env)) != nil { outcomes += 1 }
            _ = try? Expr.evaluateBool(text, env: env)
            _ = try? When.evaluate(text)
            _ = try? Depends.taskNames(in: text)
            _ = try? Depends.evaluate(text) { _, _ in Bool.random() }
            _ = try? TemplateString.substitute(text, lookup: { $0 }, env: { env })
            _ = try? TemplateString.substitute(text, lookup: { _ in nil }, env: { env }, allowUnresolved: true)
            _ = TemplateString.references(in: text)
            _ = TemplateString.expressions(in: text)
            _ = ExprValue(json: text)
        }
        #expect(outcomes > 0)
    }
}
