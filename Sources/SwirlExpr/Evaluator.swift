import Foundation

/// Walks a parsed expression against an environment with expr-lang's semantics: ints and floats kept apart
/// (`/` and `**` always give floats), no implicit string/number conversion, short-circuit `&&`/`||`, and
/// missing map keys reading as `nil`.
final class Evaluator {
    struct Scope {
        var element: ExprValue
        var index: Int
        var accumulator: ExprValue = .null
    }

    let env: [String: ExprValue]
    /// What `now()` returns; `nil` when the caller has no clock (then `now()` is an error).
    let now: ExprTime?
    var scopes: [Scope] = []

    init(env: [String: ExprValue], now: ExprTime? = nil) {
        self.env = env
        self.now = now
    }

    /// - Parameter lenient: true on the left of `??` and after `?.`, where fetching from `nil` gives `nil`.
    func eval(_ node: Node, lenient: Bool = false) throws -> ExprValue {
        switch node.kind {
        case .literal(let v):
            return v
        case .identifier(let name):
            return env[name] ?? .null
        case .pointer(let name):
            guard let scope = scopes.last else {
                throw ExprError(
                    "'#\(name)' can only be used inside a closure such as filter(list, # > 1)",
                    column: node.column)
            }
            switch name {
            case "": return scope.element
            case "index": return .int(scope.index)
            case "acc": return scope.accumulator
            default: throw ExprError("unknown closure variable '#\(name)'", column: node.column)
            }
        case .unary(let op, let operand):
            return try unary(op, try eval(operand), column: node.column)
        case .binary(let op, let l, let r):
            return try binary(op, l, r, column: node.column)
        case .ternary(let c, let yes, let no):
            guard case .bool(let b) = try eval(c) else {
                throw ExprError(
                    "non-bool expression (type \(try eval(c).typeName)) used as condition",
                    column: node.column)
            }
            return try eval(b ? yes : no)
        case .member(let base, let name, let optional):
            let value = try eval(base, lenient: lenient || optional)
            return try fetch(value, .string(name), lenient: lenient || optional, column: node.column)
        case .index(let base, let index, let optional):
            let value = try eval(base, lenient: lenient || optional)
            return try fetch(value, try eval(index), lenient: lenient || optional, column: node.column)
        case .slice(let base, let from, let to):
            return try slice(try eval(base), from.map { try eval($0) }, to.map { try eval($0) }, column: node.column)
        case .call(let name, let args):
            return try call(name, args, column: node.column)
        case .methodCall(let base, let name, let args):
            let receiver = try eval(base, lenient: lenient)
            return try TimeFunctions.method(name, on: receiver, try args.map { try eval($0) }, column: node.column)
        case .closure:
            throw ExprError("a closure can only be an argument of filter, map, all, any …", column: node.column)
        case .array(let items):
            return .array(try items.map { try eval($0) })
        case .map(let entries):
            var m: [String: ExprValue] = [:]
            for (k, v) in entries { m[k] = try eval(v) }
            return .map(m)
        }
    }

    // MARK: - Member and index access

    func fetch(_ value: ExprValue, _ key: ExprValue, lenient: Bool, column: Int) throws -> ExprValue {
        switch (value, key) {
        case (.null, _):
            if lenient { return .null }
            throw ExprError("cannot fetch \(key.templateText) from nil", column: column)
        case (.map(let m), .string(let k)):
            return m[k] ?? .null
        case (.array, _), (.string, _):
            guard case .int(var i) = key.normalizedInteger else {
                throw ExprError("cannot index \(value.typeName) with \(key.typeName)", column: column)
            }
            let scalars = value.scalars
            let count: Int
            if case .array(let a) = value { count = a.count } else { count = scalars.count }
            if i < 0 { i += count }
            guard i >= 0, i < count else {
                throw ExprError("index out of range: \(key.templateText) (length \(count))", column: column)
            }
            if case .array(let a) = value { return a[i] }
            return .string(String(Character(scalars[i])))
        default:
            throw ExprError("cannot fetch \(key.templateText) from \(value.typeName)", column: column)
        }
    }

    private func slice(_ value: ExprValue, _ from: ExprValue?, _ to: ExprValue?, column: Int) throws -> ExprValue {
        let count: Int
        switch value {
        case .array(let a): count = a.count
        case .string: count = value.scalars.count
        default: throw ExprError("cannot slice \(value.typeName)", column: column)
        }
        func bound(_ v: ExprValue?, _ fallback: Int) throws -> Int {
            guard let v else { return fallback }
            guard case .int(var i) = v.normalizedInteger else {
                throw ExprError("slice bounds must be integers, not \(v.typeName)", column: column)
            }
            if i < 0 { i += count }
            return Swift.min(Swift.max(i, 0), count)
        }
        let lo = try bound(from, 0)
        let hi = Swift.max(lo, try bound(to, count))
        if case .array(let a) = value { return .array(Array(a[lo..<hi])) }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: value.scalars[lo..<hi])
        return .string(String(s))
    }

    // MARK: - Operators

    private func unary(_ op: String, _ v: ExprValue, column: Int) throws -> ExprValue {
        switch (op, v) {
        case ("!", .bool(let b)): return .bool(!b)
        case ("-", .int(let i)):
            guard i != Int.min else { throw ExprError("integer overflow in -\(i)", column: column) }
            return .int(-i)
        case ("-", .double(let d)): return .double(-d)
        case ("+", .int), ("+", .double): return v
        default:
            throw ExprError("invalid operation: \(op == "!" ? "not" : op) \(v.typeName)", column: column)
        }
    }

    private func binary(_ op: String, _ l: Node, _ r: Node, column: Int) throws -> ExprValue {
        switch op {
        case "&&", "||":
            let a = try eval(l)
            guard case .bool(let x) = a else {
                throw ExprError("invalid operation: \(op) on \(a.typeName) (expected bool)", column: column)
            }
            if op == "&&" && !x { return .bool(false) }
            if op == "||" && x { return .bool(true) }
            let b = try eval(r)
            guard case .bool(let y) = b else {
                throw ExprError("invalid operation: \(op) on \(b.typeName) (expected bool)", column: column)
            }
            return .bool(y)
        case "??":
            let a = try eval(l, lenient: true)
            if case .null = a { return try eval(r) }
            return a
        default:
            let (a, b) = (try eval(l), try eval(r))
            if let value = try TimeFunctions.apply(op, a, b, column: column) { return value }
            return try Operators.apply(op, a, b, column: column)
        }
    }

    // MARK: - Closures

    /// Evaluates `closure` with `#` bound to each element of `list`, calling `body` with each result.
    func forEach(
        _ list: ExprValue, _ closure: Node, function: String, column: Int,
        _ body: (_ index: Int, _ element: ExprValue, _ result: ExprValue) throws -> Bool
    ) throws {
        let items: [ExprValue]
        switch list {
        case .array(let a): items = a
        case .map(let m): items = m.keys.sorted().map { m[$0] ?? .null }
        case .null: items = []
        default:
            throw ExprError("\(function)() expects an array, not \(list.typeName)", column: column)
        }
        guard case .closure(let predicate) = closure.kind else {
            throw ExprError("\(function)() expects a closure as its second argument", column: closure.column)
        }
        for (i, item) in items.enumerated() {
            scopes.append(Scope(element: item, index: i))
            defer { scopes.removeLast() }
            if try !body(i, item, try eval(predicate)) { return }
        }
    }
}

extension ExprValue {
    var isSequenceLike: Bool {
        switch self {
        case .array, .string: return true
        default: return false
        }
    }

    var scalars: [Unicode.Scalar] {
        if case .string(let s) = self { return Array(s.unicodeScalars) }
        return []
    }

    /// An integral double becomes `.int`, so `a[1.0]` works like Go's reflection-based indexing in expr.
    var normalizedInteger: ExprValue {
        if case .double(let d) = self, d.rounded() == d, abs(d) < 1e18 { return .int(Int(d)) }
        return self
    }
}
