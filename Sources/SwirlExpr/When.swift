import Foundation

/// Argo's `when:` conditions, evaluated like govaluate after `{{…}}` substitution: bare words that are not numbers
/// or `true`/`false` are string literals (so `heads == heads` holds), numbers are float64 and compare numerically,
/// strings may be quoted with `'…'` or `"…"`.
///
/// Operators, loosest first: `?:`, `??`, `||`, `&&`, comparisons (`== != < > <= >= =~ !~ in`), `+ -`, `* / %`,
/// `**`, prefix `! -`. `x in (a, b)` tests membership; `=~` is an unanchored regular-expression match.
public enum When {
    /// Evaluates an already-substituted `when` condition.
    /// - Throws: `ExprError` with the column in `text` for malformed input, operands of the wrong type, or a
    ///   result that is not a bool.
    /// An empty (or blank) condition is true, as in Argo where an absent `when` always runs the step.
    public static func evaluate(_ text: String) throws -> Bool {
        if GoStrings.trimSpace(text).isEmpty { return true }
        var parser = WhenParser(tokens: try WhenLexer.tokenize(text))
        let node = try parser.parseAll()
        let value = try node.evaluate()
        guard case .bool(let b) = value else {
            throw ExprError("expected boolean evaluation for '\(text)', got \(value.templateText)", column: 1)
        }
        return b
    }

    /// Checks `text` for syntax errors only (for lint, on text that still contains placeholders replaced by a
    /// dummy word).
    public static func validate(_ text: String) throws {
        var parser = WhenParser(tokens: try WhenLexer.tokenize(text))
        _ = try parser.parseAll()
    }
}

private struct WhenToken {
    enum Kind: Equatable {
        case value(ExprValue)
        case op(String)
        case eof
    }

    var kind: Kind
    var column: Int
}

private enum WhenLexer {
    static let operators = [
        "**", "==", "!=", ">=", "<=", "=~", "!~", "&&", "||", "??", "<<", ">>",
        ">", "<", "+", "-", "*", "/", "%", "!", "(", ")", ",", "?", ":", "&", "|", "^", "~",
    ].map { Array($0.unicodeScalars) }

    static func isWordChar(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || c.properties.numericType != nil || c == "_" || c == "."
    }

    static func tokenize(_ text: String) throws -> [WhenToken] {
        let s = Array(text.unicodeScalars)
        var tokens: [WhenToken] = []
        var i = 0
        outer: while i < s.count {
            let c = s[i]
            let column = i + 1
            if c.properties.isWhitespace {
                i += 1
                continue
            }
            if ("0"..."9").contains(c) {
                var j = i
                if c == "0", j + 1 < s.count, s[j + 1] == "x" || s[j + 1] == "X" {
                    j += 2
                    while j < s.count, s[j].properties.isASCIIHexDigit { j += 1 }
                    guard let v = Int(GoStrings.make(s[(i + 2)..<j]), radix: 16) else {
                        throw ExprError("invalid hexadecimal number", column: column)
                    }
                    tokens.append(WhenToken(kind: .value(.double(Double(v))), column: column))
                    i = j
                    continue
                }
                while j < s.count, ("0"..."9").contains(s[j]) || s[j] == "." { j += 1 }
                let text = GoStrings.make(s[i..<j])
                guard let v = Double(text) else {
                    throw ExprError("invalid number '\(text)'", column: column)
                }
                tokens.append(WhenToken(kind: .value(.double(v)), column: column))
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                var value = ""
                while j < s.count, s[j] != c {
                    if s[j] == "\\", j + 1 < s.count {
                        j += 1
                    }
                    value.unicodeScalars.append(s[j])
                    j += 1
                }
                guard j < s.count else { throw ExprError("unclosed string literal", column: column) }
                tokens.append(WhenToken(kind: .value(.string(value)), column: column))
                i = j + 1
                continue
            }
            if isWordChar(c) {
                var j = i
                while j < s.count, isWordChar(s[j]) { j += 1 }
                let word = GoStrings.make(s[i..<j])
                let kind: WhenToken.Kind
                switch word {
                case "true": kind = .value(.bool(true))
                case "false": kind = .value(.bool(false))
                case "in", "IN": kind = .op("in")
                default: kind = .value(.string(word))
                }
                tokens.append(WhenToken(kind: kind, column: column))
                i = j
                continue
            }
            for op in operators where i + op.count <= s.count && Array(s[i..<(i + op.count)]) == op {
                tokens.append(WhenToken(kind: .op(GoStrings.make(op)), column: column))
                i += op.count
                continue outer
            }
            throw ExprError("unexpected character '\(c.escaped(asASCII: false))'", column: column)
        }
        tokens.append(WhenToken(kind: .eof, column: s.count + 1))
        return tokens
    }
}

private indirect enum WhenNode {
    case value(ExprValue)
    case list([WhenNode])
    case unary(String, WhenNode, column: Int)
    case binary(String, WhenNode, WhenNode, column: Int)
    case ternary(WhenNode, WhenNode, WhenNode, column: Int)

    func evaluate() throws -> ExprValue {
        switch self {
        case .value(let v): return v
        case .list(let items): return .array(try items.map { try $0.evaluate() })
        case .unary(let op, let operand, let column):
            let v = try operand.evaluate()
            switch (op, v) {
            case ("!", .bool(let b)): return .bool(!b)
            case ("-", .double(let d)): return .double(-d)
            default:
                throw ExprError("value '\(v.templateText)' cannot be used with the prefix '\(op)'", column: column)
            }
        case .ternary(let c, let yes, let no, let column):
            guard case .bool(let b) = try c.evaluate() else {
                throw ExprError("the condition before '?' must be a bool", column: column)
            }
            return try (b ? yes : no).evaluate()
        case .binary(let op, let l, let r, let column):
            return try WhenNode.binary(op, l, r, column: column)
        }
    }

    static func binary(_ op: String, _ l: WhenNode, _ r: WhenNode, column: Int) throws -> ExprValue {
        if op == "&&" || op == "||" {
            let a = try l.evaluate()
            guard case .bool(let x) = a else {
                throw ExprError(
                    "value '\(a.templateText)' cannot be used with '\(op)', it is not a bool", column: column)
            }
            if (op == "&&") != x { return .bool(x) }
            let b = try r.evaluate()
            guard case .bool(let y) = b else {
                throw ExprError(
                    "value '\(b.templateText)' cannot be used with '\(op)', it is not a bool", column: column)
            }
            return .bool(y)
        }
        let a = try l.evaluate()
        if op == "??" { return a == .null ? try r.evaluate() : a }
        let b = try r.evaluate()
        func notNumbers() -> ExprError {
            let bad = a.numberValue == nil ? a : b
            return ExprError(
                "value '\(bad.templateText)' cannot be used with the operator '\(op)', it is not a number",
                column: column)
        }
        switch op {
        case "==": return .bool(Operators.equals(a, b))
        case "!=": return .bool(!Operators.equals(a, b))
        case "<", ">", "<=", ">=":
            guard let order = Operators.compare(a, b) else { throw notNumbers() }
            switch op {
            case "<": return .bool(order < 0)
            case ">": return .bool(order > 0)
            case "<=": return .bool(order <= 0)
            default: return .bool(order >= 0)
            }
        case "=~", "!~":
            guard case .string(let x) = a, case .string(let pattern) = b else {
                throw ExprError("'\(op)' needs a string on both sides", column: column)
            }
            let m = try Regex.matches(x, pattern, column: column)
            return .bool(op == "=~" ? m : !m)
        case "in":
            let items: [ExprValue]
            if case .array(let list) = b { items = list } else { items = [b] }
            return .bool(items.contains { Operators.equals($0, a) })
        case "+":
            if case .string = a { return .string(a.templateText + b.templateText) }
            if case .string = b { return .string(a.templateText + b.templateText) }
            fallthrough
        case "-", "*", "/", "%", "**":
            guard let x = a.numberValue, let y = b.numberValue else { throw notNumbers() }
            switch op {
            case "+": return .double(x + y)
            case "-": return .double(x - y)
            case "*": return .double(x * y)
            case "/": return .double(x / y)
            case "%": return .double(x.truncatingRemainder(dividingBy: y))
            default: return .double(Foundation.pow(x, y))
            }
        default:
            throw ExprError("operator '\(op)' is not supported in when conditions", column: column)
        }
    }
}

private struct WhenParser {
    var tokens: [WhenToken]
    var pos = 0
    var depth = 0
    var operators = 0

    init(tokens: [WhenToken]) { self.tokens = tokens }

    static let binary: [String: Int] = [
        "??": 2, "||": 3, "&&": 4,
        "==": 5, "!=": 5, "<": 5, ">": 5, "<=": 5, ">=": 5, "=~": 5, "!~": 5, "in": 5,
        "&": 6, "|": 6, "^": 6, "<<": 7, ">>": 7,
        "+": 8, "-": 8, "*": 9, "/": 9, "%": 9, "**": 10,
    ]

    var current: WhenToken { tokens[min(pos, tokens.count - 1)] }

    mutating func advance() -> WhenToken {
        let t = current
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    static func describe(_ t: WhenToken) -> String {
        switch t.kind {
        case .value(.string(let s)): return "'\(s)'"
        case .value(let v): return v.templateText
        case .op(let o): return "'\(o)'"
        case .eof: return "end of condition"
        }
    }

    mutating func parseAll() throws -> WhenNode {
        if case .eof = current.kind { throw ExprError("empty when condition", column: 1) }
        let node = try parseExpression(0)
        if case .eof = current.kind { return node }
        let t = current
        if case .value = t.kind {
            throw ExprError(
                "unexpected \(WhenParser.describe(t)) after a complete operand; quote text with spaces "
                    + "or combine terms with an operator", column: t.column)
        }
        throw ExprError("unexpected \(WhenParser.describe(t))", column: t.column)
    }

    mutating func parseExpression(_ minPrecedence: Int) throws -> WhenNode {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw ExprError("when condition is nested too deeply", column: current.column) }
        var left = try parsePrefix()
        while case .op(let op) = current.kind, let p = WhenParser.binary[op], p >= minPrecedence {
            let column = advance().column
            operators += 1
            if operators > 500 { throw ExprError("when condition has too many operators", column: column) }
            let right = try parseExpression(op == "**" ? p : p + 1)
            left = .binary(op, left, right, column: column)
        }
        if minPrecedence == 0, current.kind == .op("?") {
            let column = advance().column
            let yes = try parseExpression(1)
            guard current.kind == .op(":") else {
                throw ExprError("expected ':' but found \(WhenParser.describe(current))", column: current.column)
            }
            _ = advance()
            let no = try parseExpression(0)
            left = .ternary(left, yes, no, column: column)
        }
        return left
    }

    mutating func parsePrefix() throws -> WhenNode {
        let t = advance()
        switch t.kind {
        case .value(let v): return .value(v)
        case .eof: throw ExprError("unexpected end of condition; expected a value", column: t.column)
        case .op(let op):
            switch op {
            case "!", "-":
                return .unary(op, try parseExpression(11), column: t.column)
            case "(":
                var items = [try parseExpression(0)]
                while current.kind == .op(",") {
                    _ = advance()
                    items.append(try parseExpression(0))
                }
                guard current.kind == .op(")") else {
                    throw ExprError("expected ')' but found \(WhenParser.describe(current))", column: current.column)
                }
                _ = advance()
                return items.count == 1 ? items[0] : .list(items)
            default:
                throw ExprError("unexpected \(WhenParser.describe(t)); expected a value", column: t.column)
            }
        }
    }
}
