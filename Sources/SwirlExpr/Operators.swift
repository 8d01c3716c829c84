import Foundation

/// expr-lang's binary operators on already evaluated operands. Integer arithmetic is checked: where Go would wrap
/// silently we report an error instead of producing a surprising number.
enum Operators {
    static func apply(_ op: String, _ a: ExprValue, _ b: ExprValue, column: Int) throws -> ExprValue {
        func mismatch() -> ExprError {
            ExprError("invalid operation: \(a.typeName) \(op) \(b.typeName) (mismatched types)", column: column)
        }
        switch op {
        case "==": return .bool(equals(a, b))
        case "!=": return .bool(!equals(a, b))
        case "<", ">", "<=", ">=":
            guard let order = compare(a, b) else { throw mismatch() }
            switch op {
            case "<": return .bool(order < 0)
            case ">": return .bool(order > 0)
            case "<=": return .bool(order <= 0)
            default: return .bool(order >= 0)
            }
        case "+":
            switch (a, b) {
            case (.string(let x), .string(let y)): return .string(x + y)
            case (.array(let x), .array(let y)): return .array(x + y)
            default:
                guard let v = try arithmetic(op, a, b, column: column) else { throw mismatch() }
                return v
            }
        case "-", "*":
            guard let v = try arithmetic(op, a, b, column: column) else { throw mismatch() }
            return v
        case "/":
            guard let x = a.numberValue, let y = b.numberValue else { throw mismatch() }
            return .double(x / y)
        case "%":
            guard case .int(let x) = a, case .int(let y) = b else { throw mismatch() }
            guard y != 0 else { throw ExprError("integer divide by zero", column: column) }
            if y == -1 { return .int(0) }
            return .int(x % y)
        case "**", "^":
            guard let x = a.numberValue, let y = b.numberValue else { throw mismatch() }
            return .double(Foundation.pow(x, y))
        case "..":
            guard case .int(let x) = a, case .int(let y) = b else { throw mismatch() }
            if y < x { return .array([]) }
            guard y.subtractingReportingOverflow(x).partialValue < 1_000_000, y &- x >= 0 else {
                throw ExprError("range \(x)..\(y) is too large", column: column)
            }
            return .array((x...y).map { .int($0) })
        case "in", "not in":
            let found: Bool
            switch b {
            case .array(let items): found = items.contains { equals($0, a) }
            case .map(let m):
                guard case .string(let key) = a else { throw mismatch() }
                found = m[key] != nil
            case .null: found = false
            default: throw mismatch()
            }
            return .bool(op == "in" ? found : !found)
        case "contains", "startsWith", "endsWith", "not contains", "not startsWith", "not endsWith":
            guard case .string(let x) = a, case .string(let y) = b else { throw mismatch() }
            let result: Bool
            if op.hasSuffix("contains") {
                result = y.isEmpty || x.contains(y)
            } else if op.hasSuffix("startsWith") {
                result = x.unicodeScalars.starts(with: y.unicodeScalars)
            } else {
                result = x.unicodeScalars.reversed().starts(with: y.unicodeScalars.reversed())
            }
            return .bool(op.hasPrefix("not ") ? !result : result)
        case "matches", "not matches":
            guard case .string(let x) = a, case .string(let pattern) = b else { throw mismatch() }
            let result = try Regex.matches(x, pattern, column: column)
            return .bool(op == "matches" ? result : !result)
        default:
            throw ExprError("unknown operator '\(op)'", column: column)
        }
    }

    /// Checked `+ - *` on numbers; `nil` when either operand is not a number.
    static func arithmetic(_ op: String, _ a: ExprValue, _ b: ExprValue, column: Int) throws -> ExprValue? {
        if case .int(let x) = a, case .int(let y) = b {
            let (value, overflow): (Int, Bool)
            switch op {
            case "+": (value, overflow) = x.addingReportingOverflow(y)
            case "-": (value, overflow) = x.subtractingReportingOverflow(y)
            default: (value, overflow) = x.multipliedReportingOverflow(by: y)
            }
            if overflow { throw ExprError("integer overflow in \(x) \(op) \(y)", column: column) }
            return .int(value)
        }
        guard let x = a.numberValue, let y = b.numberValue else { return nil }
        switch op {
        case "+": return .double(x + y)
        case "-": return .double(x - y)
        default: return .double(x * y)
        }
    }

    /// Deep equality where `1 == 1.0`, and values of different kinds are simply unequal.
    static func equals(_ a: ExprValue, _ b: ExprValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.int, .double), (.double, .int), (.double, .double):
            return a.numberValue == b.numberValue
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equals($0, $1) }
        case (.map(let x), .map(let y)):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { equals(v, $0) } ?? false }
        default: return a == b
        }
    }

    /// -1, 0, 1 for two numbers or two strings (byte-wise, like Go); `nil` when they cannot be ordered.
    static func compare(_ a: ExprValue, _ b: ExprValue) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.string(let x), .string(let y)):
            if x == y { return 0 }
            return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : 1
        default:
            guard let x = a.numberValue, let y = b.numberValue else { return nil }
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : x > y ? 1 : 0
        }
    }
}

/// Regular expressions for `matches`, `=~` and friends. Foundation's ICU engine stands in for Go's RE2; the
/// common syntax (classes, anchors, groups, quantifiers) behaves the same.
enum Regex {
    static func matches(_ text: String, _ pattern: String, column: Int) throws -> Bool {
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            throw ExprError("invalid regular expression '\(pattern)'", column: column)
        }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }
}
