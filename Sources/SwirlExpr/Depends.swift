/// Argo DAG `depends` clauses: task names, optionally with a result selector (`A.Succeeded`), combined with
/// `&&`, `||`, `!` and parentheses (`&&` binds tighter than `||`).
public enum Depends {
    /// The selectors Argo accepts after a task name.
    public static let selectors: [String] = [
        "Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed",
    ]

    /// Task names referenced by `expression` ("A && (B.Failed || C-x.Succeeded)" → ["A", "B", "C-x"]), in order of
    /// first appearance, without duplicates.
    /// - Throws: `ExprError` when the expression is malformed or uses an unknown selector.
    public static func taskNames(in expression: String) throws -> [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for (name, _) in try parse(expression).references where seen.insert(name).inserted {
            names.append(name)
        }
        return names
    }

    /// The (task, selector) pairs in order of appearance; selector is nil for a bare name.
    public static func references(in expression: String) throws -> [(task: String, selector: String?)] {
        try parse(expression).references
    }

    /// Evaluates `expression`. `resolve(task, selector)` answers one reference: selector is nil for a bare name
    /// (the caller applies Argo's expansion to `Succeeded || Skipped || Daemoned`, plus continueOn), otherwise one
    /// of `selectors`. Evaluation short-circuits, but the whole expression is validated first.
    public static func evaluate(_ expression: String, resolve: (String, String?) -> Bool) throws -> Bool {
        try parse(expression).evaluate(resolve)
    }

    indirect enum Clause {
        case reference(String, String?)
        case not(Clause)
        case and(Clause, Clause)
        case or(Clause, Clause)

        var references: [(task: String, selector: String?)] {
            switch self {
            case .reference(let t, let s): return [(t, s)]
            case .not(let c): return c.references
            case .and(let a, let b), .or(let a, let b): return a.references + b.references
            }
        }

        func evaluate(_ resolve: (String, String?) -> Bool) -> Bool {
            switch self {
            case .reference(let t, let s): return resolve(t, s)
            case .not(let c): return !c.evaluate(resolve)
            case .and(let a, let b): return a.evaluate(resolve) && b.evaluate(resolve)
            case .or(let a, let b): return a.evaluate(resolve) || b.evaluate(resolve)
            }
        }
    }

    static func parse(_ expression: String) throws -> Clause {
        var parser = DependsParser(Array(expression.unicodeScalars))
        return try parser.parseAll()
    }
}

/// Recursive-descent parser for `depends`; depth is capped so hostile input cannot exhaust the stack.
private struct DependsParser {
    let s: [Unicode.Scalar]
    var i = 0
    var depth = 0
    var operands = 0

    init(_ s: [Unicode.Scalar]) { self.s = s }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_")
    }

    mutating func skipSpace() {
        while i < s.count, s[i].properties.isWhitespace { i += 1 }
    }

    func error(_ message: String, at index: Int? = nil) -> ExprError {
        ExprError(message, column: (index ?? i) + 1)
    }

    func describeCurrent() -> String {
        i < s.count ? "'\(s[i])'" : "end of expression"
    }

    mutating func parseAll() throws -> Depends.Clause {
        skipSpace()
        if i >= s.count { throw error("empty depends expression") }
        let clause = try parseOr()
        skipSpace()
        if i < s.count {
            throw error("unexpected \(describeCurrent()) in depends expression; expected '&&', '||' or ')'")
        }
        return clause
    }

    mutating func matches(_ op: String) -> Bool {
        skipSpace()
        let o = Array(op.unicodeScalars)
        guard i + o.count <= s.count, Array(s[i..<(i + o.count)]) == o else { return false }
        i += o.count
        return true
    }

    mutating func parseOr() throws -> Depends.Clause {
        var left = try parseAnd()
        while matches("||") { left = .or(left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws -> Depends.Clause {
        var left = try parseUnary()
        while matches("&&") { left = .and(left, try parseUnary()) }
        return left
    }

    mutating func parseUnary() throws -> Depends.Clause {
        depth += 1
        defer { depth -= 1 }
        operands += 1
        if depth > Parser.maxDepth || operands > 1_000 {
            throw error("depends expression is nested too deeply")
        }
        skipSpace()
        if matches("!") { return .not(try parseUnary()) }
        if matches("(") {
            let inner = try parseOr()
            guard matches(")") else { throw error("expected ')' but found \(describeCurrent())") }
            return inner
        }
        let start = i
        while i < s.count, DependsParser.isNameChar(s[i]) { i += 1 }
        guard i > start else { throw error("expected a task name but found \(describeCurrent())") }
        let name = GoStrings.make(s[start..<i])
        guard i < s.count, s[i] == "." else { return .reference(name, nil) }
        i += 1
        let selectorStart = i
        while i < s.count, s[i].isASCII, s[i].properties.isAlphabetic { i += 1 }
        let selector = GoStrings.make(s[selectorStart..<i])
        guard Depends.selectors.contains(selector) else {
            throw error(
                "unknown result '\(selector)' for task '\(name)'; expected one of "
                    + Depends.selectors.map { ".\($0)" }.joined(separator: ", "), at: selectorStart)
        }
        return .reference(name, selector)
    }
}
