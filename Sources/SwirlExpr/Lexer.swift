/// One lexical token of an expr-lang expression.
struct Token: Equatable {
    enum Kind: Equatable {
        case int(Int)
        case float(Double)
        case string(String)
        case identifier(String)
        /// `#`, `#index`, `#acc`: the closure's current element (name "") or a named closure variable.
        case pointer(String)
        case op(String)
        case eof
    }

    var kind: Kind
    /// 1-based column in the original text.
    var column: Int

    func isOp(_ s: String) -> Bool { kind == .op(s) }

    func isIdentifier(_ s: String) -> Bool { kind == .identifier(s) }
}

/// Splits expr-lang source into tokens; columns are offset so they refer to the original, enclosing text.
struct Lexer {
    private let chars: [Unicode.Scalar]
    private var i = 0
    private let baseColumn: Int

    /// Operators, longest first so that `**` wins over `*`.
    private static let operators = [
        "**", "??", "?.", "==", "!=", "<=", ">=", "&&", "||", "..",
        "+", "-", "*", "/", "%", "^", "<", ">", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}", "|",
    ].map { Array($0.unicodeScalars) }

    /// - Parameter baseColumn: the column of `source`'s first character in the original text.
    init(_ source: String, baseColumn: Int = 1) {
        chars = Array(source.unicodeScalars)
        self.baseColumn = baseColumn
    }

    static func tokenize(_ source: String, baseColumn: Int = 1) throws -> [Token] {
        var lexer = Lexer(source, baseColumn: baseColumn)
        var tokens: [Token] = []
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .eof { return tokens }
        }
    }

    private func column(_ index: Int) -> Int { baseColumn + index }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let j = i + offset
        return j < chars.count ? chars[j] : nil
    }

    static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "$" || c.properties.isAlphabetic
    }

    static func isIdentPart(_ c: Unicode.Scalar) -> Bool {
        isIdentStart(c) || ("0"..."9").contains(c) || c.properties.numericType != nil
    }

    mutating func next() throws -> Token {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
        let start = i
        guard let c = peek() else { return Token(kind: .eof, column: column(i)) }
        if ("0"..."9").contains(c) { return try number() }
        if c == "'" || c == "\"" || c == "`" { return try string(quote: c) }
        if c == "#" {
            i += 1
            var name = ""
            while let d = peek(), Lexer.isIdentPart(d) {
                name.unicodeScalars.append(d)
                i += 1
            }
            return Token(kind: .pointer(name), column: column(start))
        }
        if Lexer.isIdentStart(c) {
            var name = ""
            while let d = peek(), Lexer.isIdentPart(d) {
                name.unicodeScalars.append(d)
                i += 1
            }
            return Token(kind: .identifier(name), column: column(start))
        }
        for op in Lexer.operators where i + op.count <= chars.count {
            if Array(chars[i..<(i + op.count)]) == op {
                // `?.` followed by a digit is a ternary and a number (`a ?.5 : 1`).
                if op.count == 2, op[0] == "?", op[1] == ".", let d = peek(2), ("0"..."9").contains(d) { continue }
                i += op.count
                var s = ""
                s.unicodeScalars.append(contentsOf: op)
                return Token(kind: .op(s), column: column(start))
            }
        }
        throw ExprError("unexpected character '\(c.escaped(asASCII: false))'", column: column(start))
    }

    private mutating func digits(_ accept: (Unicode.Scalar) -> Bool) -> String {
        var s = ""
        while let d = peek(), accept(d) || d == "_" {
            if d != "_" { s.unicodeScalars.append(d) }
            i += 1
        }
        return s
    }

    private mutating func number() throws -> Token {
        let start = i
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        if peek() == "0", let x = peek(1), x == "x" || x == "X" || x == "o" || x == "O" || x == "b" || x == "B" {
            i += 2
            let radix = (x == "x" || x == "X") ? 16 : (x == "o" || x == "O") ? 8 : 2
            let text = digits { $0.properties.isASCIIHexDigit }
            guard let v = Int(text, radix: radix) else {
                throw ExprError("invalid number literal", column: column(start))
            }
            return Token(kind: .int(v), column: column(start))
        }
        var text = digits(isDigit)
        var isFloat = false
        if peek() == ".", let d = peek(1), isDigit(d) {
            i += 1
            isFloat = true
            text += "." + digits(isDigit)
        }
        if let e = peek(), e == "e" || e == "E" {
            var j = 1
            if let s = peek(1), s == "+" || s == "-" { j = 2 }
            if let d = peek(j), isDigit(d) {
                isFloat = true
                text += "e"
                if j == 2, let s = peek(1) { text.unicodeScalars.append(s) }
                i += j
                text += digits(isDigit)
            }
        }
        if let d = peek(), Lexer.isIdentStart(d) {
            throw ExprError("invalid number literal", column: column(start))
        }
        if isFloat {
            guard let v = Double(text) else { throw ExprError("invalid number literal", column: column(start)) }
            return Token(kind: .float(v), column: column(start))
        }
        guard let v = Int(text) else {
            throw ExprError("integer literal \(text) overflows int", column: column(start))
        }
        return Token(kind: .int(v), column: column(start))
    }

    private mutating func string(quote: Unicode.Scalar) throws -> Token {
        let start = i
        i += 1
        var s = ""
        while let c = peek() {
            i += 1
            if c == quote { return Token(kind: .string(s), column: column(start)) }
            if c == "\\" && quote != "`" {
                guard let e = peek() else { break }
                i += 1
                switch e {
                case "n": s += "\n"
                case "t": s += "\t"
                case "r": s += "\r"
                case "0": s += "\0"
                case "a": s += "\u{07}"
                case "b": s += "\u{08}"
                case "f": s += "\u{0C}"
                case "v": s += "\u{0B}"
                case "\\", "'", "\"", "`": s.unicodeScalars.append(e)
                case "u", "x", "U":
                    let n = e == "x" ? 2 : e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<n {
                        guard let h = peek(), h.properties.isASCIIHexDigit else {
                            throw ExprError("invalid escape sequence in string", column: column(i))
                        }
                        hex.unicodeScalars.append(h)
                        i += 1
                    }
                    guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                        throw ExprError("invalid escape sequence in string", column: column(i - n - 2))
                    }
                    s.unicodeScalars.append(scalar)
                default:
                    throw ExprError("invalid escape sequence '\\\(e)' in string", column: column(i - 2))
                }
                continue
            }
            s.unicodeScalars.append(c)
        }
        throw ExprError("unterminated string literal", column: column(start))
    }
}
