/// A Pratt parser for expr-lang, following expr's operator table (parser/operator): `or ||` 10, `and &&` 15,
/// comparisons and `in matches contains startsWith endsWith` 20, `..` 25, `+ -` 30, `* / %` 60, unary 90,
/// `** ^` 100 (right-associative), `??` 500; the pipe `|` and the ternary `?:` bind loosest.
struct Parser {
    /// Maximum nesting of the syntax tree; deeper input is rejected instead of overflowing the stack.
    static let maxDepth = 200

    private var tokens: [Token]
    private var pos = 0
    private var recursion = 0

    private static let binary: [String: (precedence: Int, rightAssoc: Bool)] = [
        "or": (10, false), "||": (10, false),
        "and": (15, false), "&&": (15, false),
        "==": (20, false), "!=": (20, false), "<": (20, false), ">": (20, false), "<=": (20, false),
        ">=": (20, false), "in": (20, false), "matches": (20, false), "contains": (20, false),
        "startsWith": (20, false), "endsWith": (20, false),
        "..": (25, false),
        "+": (30, false), "-": (30, false),
        "*": (60, false), "/": (60, false), "%": (60, false),
        "**": (100, true), "^": (100, true),
        "??": (500, false),
    ]
    private static let negatable: Set<String> = ["in", "matches", "contains", "startsWith", "endsWith"]
    private static let unaryPrecedence = 90

    /// Builtins whose second argument is a closure over `#`.
    static let closureFunctions: Set<String> = [
        "filter", "map", "all", "any", "none", "one", "count", "find", "findIndex", "findLast", "findLastIndex",
        "sum", "sortBy", "groupBy", "reduce",
    ]

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a complete expression.
    /// - Parameter baseColumn: column of the source's first character in the original text.
    static func parse(_ source: String, baseColumn: Int = 1) throws -> Node {
        var parser = Parser(tokens: try Lexer.tokenize(source, baseColumn: baseColumn))
        let node = try parser.parseExpression(0)
        let t = parser.current
        if t.kind != .eof { throw ExprError("unexpected token \(describe(t))", column: t.column) }
        return node
    }

    static func describe(_ t: Token) -> String {
        switch t.kind {
        case .int(let v): return "\(v)"
        case .float(let v): return "\(v)"
        case .string(let s): return "\"\(s)\""
        case .identifier(let s): return "'\(s)'"
        case .pointer(let s): return "'#\(s)'"
        case .op(let s): return "'\(s)'"
        case .eof: return "end of expression"
        }
    }

    private var current: Token { tokens[min(pos, tokens.count - 1)] }

    private func peek(_ offset: Int) -> Token { tokens[min(pos + offset, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let t = current
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    private mutating func expect(_ op: String) throws {
        let t = current
        guard t.isOp(op) else { throw ExprError("expected '\(op)' but found \(Parser.describe(t))", column: t.column) }
        _ = advance()
    }

    private func make(_ kind: Node.Kind, _ column: Int, _ children: [Node]) throws -> Node {
        let node = Node(kind, column: column, children: children)
        if node.depth > Parser.maxDepth {
            throw ExprError("expression is nested too deeply (limit \(Parser.maxDepth))", column: column)
        }
        return node
    }

    private mutating func enter() throws {
        recursion += 1
        if recursion > Parser.maxDepth {
            throw ExprError("expression is nested too deeply (limit \(Parser.maxDepth))", column: current.column)
        }
    }

    /// The binary operator at the cursor, if any: its name, precedence and how many tokens it spans.
    private func binaryOperator() -> (name: String, precedence: Int, rightAssoc: Bool, width: Int)? {
        let t = current
        var name: String
        switch t.kind {
        case .op(let s): name = s
        case .identifier(let s): name = s
        default: return nil
        }
        if name == "not", case .identifier(let next) = peek(1).kind, Parser.negatable.contains(next) {
            return ("not " + next, 20, false, 2)
        }
        guard let info = Parser.binary[name] else { return nil }
        if name == "and" { name = "&&" }
        if name == "or" { name = "||" }
        return (name, info.precedence, info.rightAssoc, 1)
    }

    mutating func parseExpression(_ minPrecedence: Int) throws -> Node {
        try enter()
        defer { recursion -= 1 }
        var left = try parsePrefix()
        while let op = binaryOperator(), op.precedence >= minPrecedence {
            let column = current.column
            for _ in 0..<op.width { _ = advance() }
            let right = try parseExpression(op.rightAssoc ? op.precedence : op.precedence + 1)
            left = try make(.binary(op.name, left, right), column, [left, right])
        }
        while minPrecedence == 0, current.isOp("|") {
            // `xs | filter(# > 1)` is `filter(xs, # > 1)`.
            _ = advance()
            let nameToken = advance()
            guard case .identifier(var name) = nameToken.kind else {
                throw ExprError("expected a function call after '|'", column: nameToken.column)
            }
            if name == "sprig", current.isOp(".") {
                _ = advance()
                guard case .identifier(let member) = advance().kind else {
                    throw ExprError("expected a function name after 'sprig.'", column: current.column)
                }
                name = "sprig." + member
            }
            guard current.isOp("(") else {
                throw ExprError("expected '(' after '\(name)'", column: current.column)
            }
            left = try parseCall(name, column: nameToken.column, leading: [left])
        }
        if minPrecedence == 0, current.isOp("?") {
            let column = advance().column
            let yes = try parseExpression(0)
            try expect(":")
            let no = try parseExpression(0)
            left = try make(.ternary(left, yes, no), column, [left, yes, no])
        }
        return left
    }

    private mutating func parsePrefix() throws -> Node {
        let t = advance()
        var node: Node
        switch t.kind {
        case .int(let v): node = Node(.literal(.int(v)), column: t.column)
        case .float(let v): node = Node(.literal(.double(v)), column: t.column)
        case .string(let s): node = Node(.literal(.string(s)), column: t.column)
        case .pointer(let name): node = Node(.pointer(name), column: t.column)
        case .eof: throw ExprError("unexpected end of expression", column: t.column)
        case .identifier(let name):
            switch name {
            case "true": node = Node(.literal(.bool(true)), column: t.column)
            case "false": node = Node(.literal(.bool(false)), column: t.column)
            case "nil": node = Node(.literal(.null), column: t.column)
            case "not":
                let operand = try parseExpression(Parser.unaryPrecedence)
                node = try make(.unary("!", operand), t.column, [operand])
            default:
                if current.isOp("(") {
                    node = try parseCall(name, column: t.column)
                } else {
                    node = Node(.identifier(name), column: t.column)
                }
            }
        case .op(let op):
            switch op {
            case "!", "-", "+":
                let operand = try parseExpression(Parser.unaryPrecedence)
                node = try make(.unary(op, operand), t.column, [operand])
            case "(":
                node = try parseExpression(0)
                try expect(")")
            case "[":
                var items: [Node] = []
                while !current.isOp("]") {
                    try enter()
                    items.append(try parseExpression(0))
                    recursion -= 1
                    if !current.isOp(",") { break }
                    _ = advance()
                }
                try expect("]")
                node = try make(.array(items), t.column, items)
            case "{":
                node = try parseMap(column: t.column)
            case ".":
                // `.name` inside a closure is shorthand for `#.name`.
                let nameToken = advance()
                guard case .identifier(let name) = nameToken.kind else {
                    throw ExprError("expected a field name after '.'", column: nameToken.column)
                }
                node = Node(.member(Node(.pointer(""), column: t.column), name, optional: false), column: t.column)
            default:
                throw ExprError("unexpected token \(Parser.describe(t))", column: t.column)
            }
        }
        return try parsePostfix(node)
    }

    private mutating func parseMap(column: Int) throws -> Node {
        var entries: [(String, Node)] = []
        while !current.isOp("}") {
            let keyToken = advance()
            let key: String
            switch keyToken.kind {
            case .identifier(let s), .string(let s): key = s
            case .int(let v): key = String(v)
            default:
                throw ExprError("expected a map key but found \(Parser.describe(keyToken))", column: keyToken.column)
            }
            try expect(":")
            try enter()
            entries.append((key, try parseExpression(0)))
            recursion -= 1
            if !current.isOp(",") { break }
            _ = advance()
        }
        try expect("}")
        return try make(.map(entries), column, entries.map(\.1))
    }

    private mutating func parseCall(_ name: String, column: Int, leading: [Node] = []) throws -> Node {
        try expect("(")
        var args: [Node] = leading
        while !current.isOp(")") {
            try enter()
            if args.count == 1 && Parser.closureFunctions.contains(name) {
                let body: Node
                if current.isOp("{") {
                    _ = advance()
                    body = try parseExpression(0)
                    try expect("}")
                } else {
                    body = try parseExpression(0)
                }
                args.append(try make(.closure(body), body.column, [body]))
            } else {
                args.append(try parseExpression(0))
            }
            recursion -= 1
            if !current.isOp(",") { break }
            _ = advance()
        }
        try expect(")")
        return try make(.call(name, args), column, args)
    }

    private mutating func parsePostfix(_ start: Node) throws -> Node {
        var node = start
        while true {
            let t = current
            if t.isOp(".") || t.isOp("?.") {
                let optional = t.isOp("?.")
                _ = advance()
                if optional && current.isOp("[") {
                    _ = advance()
                    let index = try parseExpression(0)
                    try expect("]")
                    node = try make(.index(node, index, optional: true), t.column, [node, index])
                    continue
                }
                let nameToken = advance()
                guard case .identifier(let name) = nameToken.kind else {
                    throw ExprError(
                        "expected a field name after '\(optional ? "?." : ".")' but found "
                            + Parser.describe(nameToken), column: nameToken.column)
                }
                if current.isOp("("), case .identifier(let base) = node.kind, base == "sprig" {
                    node = try parseCall("sprig." + name, column: nameToken.column)
                    continue
                }
                if current.isOp("(") {
                    let call = try parseCall(name, column: nameToken.column)
                    guard case .call(_, let args) = call.kind else { return call }
                    node = try make(.methodCall(node, name, args), nameToken.column, [node] + args)
                    continue
                }
                node = try make(.member(node, name, optional: optional), nameToken.column, [node])
            } else if t.isOp("[") {
                _ = advance()
                var from: Node? = nil
                if !current.isOp(":") { from = try parseExpression(0) }
                if current.isOp(":") {
                    _ = advance()
                    var to: Node? = nil
                    if !current.isOp("]") { to = try parseExpression(0) }
                    try expect("]")
                    node = try make(.slice(node, from, to), t.column, [node] + [from, to].compactMap { $0 })
                } else {
                    try expect("]")
                    guard let index = from else { throw ExprError("expected an index", column: t.column) }
                    node = try make(.index(node, index, optional: false), t.column, [node, index])
                }
            } else if t.isOp("(") {
                throw ExprError("only named functions can be called", column: t.column)
            } else {
                return node
            }
        }
    }
}
