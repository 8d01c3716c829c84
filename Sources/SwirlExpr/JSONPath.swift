/// The JSONPath subset behind Argo's `jsonpath(json, path)`: `$`, `.name`, `['name']`, `[0]`, `[-1]`, `[*]`,
/// `.*`, `[1:3]`, `..name` and filters `[?(@.name == 'x')]`. A path without wildcards yields one value; with wildcards, a list.
enum JSONPath {
    static func evaluate(_ path: String, on root: ExprValue, column: Int) throws -> ExprValue {
        let p = Array(path.unicodeScalars)
        var i = 0
        func fail(_ message: String) -> ExprError { ExprError("jsonpath '\(path)': \(message)", column: column) }
        func readName() -> String {
            var name = ""
            while i < p.count, p[i] != ".", p[i] != "[" {
                name.unicodeScalars.append(p[i])
                i += 1
            }
            return name
        }
        guard i < p.count, p[i] == "$" else { throw fail("must start with '$'") }
        i += 1
        var current: [ExprValue] = [root]
        var multi = false
        while i < p.count {
            if p[i] == "." {
                i += 1
                if i < p.count, p[i] == "." {
                    i += 1
                    let name = readName()
                    guard !name.isEmpty else { throw fail("expected a name after '..'") }
                    current = current.flatMap { descendants(of: $0, named: name) }
                    multi = true
                    continue
                }
                let name = readName()
                if name == "*" {
                    current = current.flatMap(children)
                    multi = true
                } else {
                    guard !name.isEmpty else { throw fail("expected a name after '.'") }
                    current = current.compactMap { if case .map(let m) = $0 { return m[name] } else { return nil } }
                }
            } else if p[i] == "[" {
                i += 1
                var inner = ""
                var quote: Unicode.Scalar? = nil
                while i < p.count, quote != nil || p[i] != "]" {
                    if let q = quote {
                        if p[i] == q { quote = nil }
                    } else if p[i] == "'" || p[i] == "\"" {
                        quote = p[i]
                    }
                    inner.unicodeScalars.append(p[i])
                    i += 1
                }
                guard i < p.count else { throw fail("missing ']'") }
                i += 1
                let trimmed = GoStrings.trimSpace(inner)
                if trimmed.hasPrefix("?(") && trimmed.hasSuffix(")") {
                    let filter = try Filter(String(trimmed.dropFirst(2).dropLast()), fail: fail)
                    current = current.flatMap(children).filter(filter.matches)
                    multi = true
                } else if trimmed == "*" {
                    current = current.flatMap(children)
                    multi = true
                } else if let q = trimmed.unicodeScalars.first, q == "'" || q == "\"" {
                    let key = GoStrings.trim(trimmed, cutset: String(q))
                    current = current.compactMap { if case .map(let m) = $0 { return m[key] } else { return nil } }
                } else if trimmed.contains(":") {
                    let bounds = GoStrings.split(trimmed, ":", n: 2).map { Int(GoStrings.trimSpace($0)) }
                    multi = true
                    current = current.flatMap { v -> [ExprValue] in
                        guard case .array(let a) = v else { return [] }
                        func clamp(_ x: Int?, _ d: Int) -> Int {
                            guard var x else { return d }
                            if x < 0 { x += a.count }
                            return min(max(x, 0), a.count)
                        }
                        let lo = clamp(bounds[0], 0)
                        let hi = max(lo, clamp(bounds.count > 1 ? bounds[1] : nil, a.count))
                        return Array(a[lo..<hi])
                    }
                } else if let n = Int(trimmed) {
                    current = current.compactMap { v in
                        guard case .array(let a) = v else { return nil }
                        let k = n < 0 ? n + a.count : n
                        return a.indices.contains(k) ? a[k] : nil
                    }
                } else {
                    throw fail("unsupported selector [\(inner)]")
                }
            } else {
                throw fail("unexpected '\(p[i])'")
            }
        }
        if multi { return .array(current) }
        guard let value = current.first else { throw fail("no value found") }
        return value
    }

    private static func children(_ v: ExprValue) -> [ExprValue] {
        switch v {
        case .array(let a): return a
        case .map(let m): return m.keys.sorted().compactMap { m[$0] }
        default: return []
        }
    }

    private static func descendants(of v: ExprValue, named name: String) -> [ExprValue] {
        var out: [ExprValue] = []
        var stack: [ExprValue] = [v]
        while let top = stack.popLast() {
            if case .map(let m) = top, let hit = m[name] { out.append(hit) }
            stack.append(contentsOf: children(top).reversed())
        }
        return out
    }

    /// `?(@.field op literal)` or `?(@.field)`; op is one of == != < <= > >=.
    private struct Filter {
        var path: [String]
        var op: String?
        var literal: ExprValue = .null

        init(_ text: String, fail: (String) -> ExprError) throws {
            let body = GoStrings.trimSpace(text)
            var op: String? = nil
            var lhs = body
            var rhs = ""
            for candidate in ["==", "!=", "<=", ">=", "<", ">"] {
                let parts = GoStrings.split(body, candidate, n: 2)
                if parts.count == 2 {
                    op = candidate
                    lhs = GoStrings.trimSpace(parts[0])
                    rhs = GoStrings.trimSpace(parts[1])
                    break
                }
            }
            guard lhs == "@" || lhs.hasPrefix("@.") else { throw fail("filter must test '@', got '\(lhs)'") }
            path = lhs == "@" ? [] : GoStrings.split(String(lhs.dropFirst(2)), ".")
            self.op = op
            if op != nil {
                if let q = rhs.unicodeScalars.first, q == "'" || q == "\"" {
                    literal = .string(GoStrings.trim(rhs, cutset: String(q)))
                } else if let v = ExprValue(json: rhs) {
                    literal = v
                } else {
                    throw fail("cannot read filter value '\(rhs)'")
                }
            }
        }

        func matches(_ v: ExprValue) -> Bool {
            var value: ExprValue? = v
            for key in path {
                guard case .map(let m)? = value else { return false }
                value = m[key]
            }
            guard let value else { return false }
            guard let op else { return true }
            switch op {
            case "==": return Operators.equals(value, literal)
            case "!=": return !Operators.equals(value, literal)
            default:
                guard let order = Operators.compare(value, literal) else { return false }
                switch op {
                case "<": return order < 0
                case "<=": return order <= 0
                case ">": return order > 0
                default: return order >= 0
                }
            }
        }
    }
}
