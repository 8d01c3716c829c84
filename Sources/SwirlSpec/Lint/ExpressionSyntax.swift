import Yams

/// A syntax error found in an embedded expression, at a 1-based column (Unicode scalars) of the checked text.
public struct SyntaxProblem: Sendable, Equatable {
    public var message: String
    public var column: Int

    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }
}

/// The parsers of the languages a manifest embeds in strings: expr-lang (`{{=…}}`, `retryStrategy.expression`,
/// `valueFrom.expression` …), govaluate (`when`) and `depends`. They live in SwirlExpr, above this module, so the
/// linter asks for them through this protocol and the CLI passes an implementation; without one, expressions are
/// not checked.
public protocol ExpressionSyntaxChecker: Sendable {
    /// Errors of the `{{=…}}` tags in a template string, columns within `text`.
    func checkTemplateString(_ text: String) -> [SyntaxProblem]
    /// An expr-lang expression (`retryStrategy.expression`, `valueFrom.expression`, hook `expression` …).
    func checkExpression(_ source: String) -> SyntaxProblem?
    /// A `when` condition whose `{{…}}` tags were already replaced by a placeholder word.
    func checkWhen(_ condition: String) -> SyntaxProblem?
    /// A DAG task's `depends` clause.
    func checkDepends(_ expression: String) -> SyntaxProblem?
}

/// Check 8: the syntax of every embedded expression of a spec, placed at its line and column.
extension SpecChecker {
    /// Fields holding an expr-lang expression, by the path suffix that names them.
    private static func isExprField(_ keys: [String]) -> Bool {
        guard let last = keys.last else { return false }
        let parent = keys.count >= 2 ? keys[keys.count - 2] : ""
        switch last {
        case "expression":
            let grandparent = keys.count >= 3 ? keys[keys.count - 3] : ""
            return parent == "retryStrategy" || parent == "valueFrom" || grandparent == "hooks"
                || parent == "transformation"
        case "fromExpression": return true
        case "successCondition": return parent == "http"
        default: return false
        }
    }

    func checkExpressionSyntax(_ checker: any ExpressionSyntaxChecker) {
        walk(spec, path: specPath, keys: [], checker)
    }

    private func walk(_ node: Node, path: FieldPath, keys: [String], _ checker: any ExpressionSyntaxChecker) {
        switch node {
        case .scalar(let scalar):
            checkScalar(node, scalar.string, path: path, keys: keys, checker)
        case .mapping:
            for field in node.lintFields {
                walk(field.value, path: path + field.key, keys: keys + [field.key], checker)
            }
        case .sequence:
            // Sequence items keep the key of their list, so `transformation[0].expression` is found.
            for (index, item) in node.lintItems.enumerated() {
                walk(item, path: path + index, keys: keys, checker)
            }
        case .alias:
            break
        }
    }

    private func checkScalar(
        _ node: Node, _ text: String, path: FieldPath, keys: [String], _ checker: any ExpressionSyntaxChecker
    ) {
        let key = keys.last ?? ""
        if text.contains("{{=") {
            for problem in checker.checkTemplateString(text) {
                report("invalid expression: \(problem.message)", node, text, problem.column - 1, path)
            }
        }
        let inDAGTask = keys.count >= 3 && keys[keys.count - 3] == "dag" && keys[keys.count - 2] == "tasks"
        if key == "when" {
            let (condition, origin) = Self.replacingTags(in: text)
            guard !condition.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) else { return }
            if let problem = checker.checkWhen(condition) {
                report("invalid 'when' condition: \(problem.message)", node, text, origin(problem.column - 1), path)
            }
        } else if key == "depends", inDAGTask, !text.contains("{{") {
            if let problem = checker.checkDepends(text) {
                report("invalid depends: \(problem.message)", node, text, problem.column - 1, path)
            }
        } else if Self.isExprField(keys) {
            let (source, origin) = Self.replacingTags(in: text)
            if let problem = checker.checkExpression(source) {
                report("invalid expression: \(problem.message)", node, text, origin(problem.column - 1), path)
            }
        }
    }

    private func report(_ message: String, _ node: Node, _ text: String, _ offset: Int, _ path: FieldPath) {
        let (line, column) = position(in: node, text: text, offset: offset)
        context.report(message, line: line, column: column, path: path)
    }

    /// `text` with every `{{…}}` tag replaced by the word `x` (what substitution would put there is unknown), and a
    /// map from offsets in the result back to offsets in `text` (an offset inside a tag maps to the tag's start).
    static func replacingTags(in text: String) -> (String, (Int) -> Int) {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var origin: [Int] = []
        var i = 0
        while i < s.count {
            if i + 1 < s.count, s[i] == "{", s[i + 1] == "{" {
                var j = i + 2
                while j + 1 < s.count, !(s[j] == "}" && s[j + 1] == "}") { j += 1 }
                if j + 1 < s.count {
                    out.append("x")
                    origin.append(i)
                    i = j + 2
                    continue
                }
            }
            out.append(s[i])
            origin.append(i)
            i += 1
        }
        let end = s.count
        return (String(out), { offset in offset >= 0 && offset < origin.count ? origin[offset] : end })
    }

    /// The file position of the scalar offset `offset` of `node`'s text: exact on one line, and for a multi-line
    /// (block) scalar found by looking up the text's line in the file.
    func position(in node: Node, text: String, offset: Int) -> (line: Int, column: Int) {
        guard text.contains("\n") else { return position(inScalar: node, offset: offset) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var remaining = max(offset, 0)
        for (index, line) in lines.enumerated() {
            let length = line.unicodeScalars.count
            if remaining <= length {
                let content = line.drop { $0 == " " || $0 == "\t" }
                guard !content.isEmpty else { break }
                let indent = length - content.unicodeScalars.count
                let earlier = lines[..<index].filter { $0.contains(content) }.count
                let found = context.position(of: String(content), occurrence: earlier, from: node)
                return (found.line, found.column + max(remaining - indent, 0))
            }
            remaining -= length + 1
        }
        return (node.mark?.line ?? 0, node.mark?.column ?? 0)
    }
}
