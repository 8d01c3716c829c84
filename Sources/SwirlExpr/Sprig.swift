import Foundation

/// The `sprig.*` functions Argo exposes in expressions (Masterminds sprig's generic function map). Argument order
/// is sprig's, built for template pipelines: the subject comes *last* (`sprig.replace("-", "_", s)`,
/// `sprig.contains("needle", haystack)`, `sprig.trimPrefix("v", version)`).
enum Sprig {
    /// sprig's lenient `toInt64` (via spf13/cast): unparsable input becomes 0 rather than an error.
    static func toInt(_ v: ExprValue) -> Int {
        switch v {
        case .int(let i): return i
        case .double(let d): return d.isFinite && abs(d) < 9.2e18 ? Int(d) : 0
        case .bool(let b): return b ? 1 : 0
        case .string(var s):
            if let dot = s.firstIndex(of: "."), s[s.index(after: dot)...].allSatisfy({ $0 == "0" }) {
                s = String(s[..<dot])
            }
            if let i = Int(s) { return i }
            var body = Substring(s)
            let negative = body.hasPrefix("-")
            if negative || body.hasPrefix("+") { body = body.dropFirst() }
            let lower = body.lowercased()
            let parsed: Int?
            if lower.hasPrefix("0x") {
                parsed = Int(lower.dropFirst(2), radix: 16)
            } else if lower.hasPrefix("0o") {
                parsed = Int(lower.dropFirst(2), radix: 8)
            } else if lower.hasPrefix("0b") {
                parsed = Int(lower.dropFirst(2), radix: 2)
            } else if lower.hasPrefix("0"), lower.count > 1 {
                parsed = Int(lower.dropFirst(), radix: 8)
            } else {
                parsed = nil
            }
            guard let p = parsed else { return 0 }
            return negative ? 0 &- p : p
        default: return 0
        }
    }

    /// sprig's lenient `toFloat64`.
    static func toDouble(_ v: ExprValue) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return Double(s) ?? 0
        default: return 0
        }
    }

    /// sprig's `strval`: strings as they are, anything else as Go's `%v` would print it.
    static func stringValue(_ v: ExprValue) -> String {
        if case .null = v { return "<nil>" }
        return v.templateText
    }

    /// Go's `%q` for the common cases.
    static func goQuote(_ s: String) -> String {
        var out = ""
        ExprValue.writeJSONString(s, to: &out)
        return out
    }

    /// Go's deprecated `strings.Title`: upper-cases the first letter of every word.
    static func title(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for c in s.unicodeScalars {
            let isSeparator: Bool
            if previous.isASCII {
                isSeparator = !(previous.properties.isAlphabetic || ("0"..."9").contains(previous) || previous == "_")
            } else {
                isSeparator = previous.properties.isWhitespace
            }
            if isSeparator { out.append(contentsOf: String(c).uppercased().unicodeScalars) } else { out.append(c) }
            previous = c
        }
        return String(out)
    }

    static func call(_ name: String, _ args: [ExprValue], column: Int) throws -> ExprValue {
        let fn = "sprig.\(name)"
        func arity(_ range: ClosedRange<Int>) throws { try Builtins.arity(fn, args, range, column: column) }
        func str(_ i: Int) -> String { stringValue(args[i]) }
        func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> Int {
            if r.overflow { throw ExprError("\(fn)(): integer overflow", column: column) }
            return r.partialValue
        }
        func list(_ v: ExprValue) throws -> [ExprValue] {
            switch v {
            case .array(let a): return a
            case .null: return []
            default: throw ExprError("\(fn)() expects a list, not \(v.typeName)", column: column)
            }
        }
        switch name {
        case "trim": try arity(1...1); return .string(GoStrings.trimSpace(str(0)))
        case "upper": try arity(1...1); return .string(str(0).uppercased())
        case "lower": try arity(1...1); return .string(str(0).lowercased())
        case "title": try arity(1...1); return .string(title(str(0)))
        case "replace": try arity(3...3); return .string(GoStrings.replaceAll(str(2), str(0), str(1)))
        case "contains": try arity(2...2); return .bool(str(0).isEmpty || str(1).contains(str(0)))
        case "hasPrefix":
            try arity(2...2)
            return .bool(Array(str(1).unicodeScalars).starts(with: Array(str(0).unicodeScalars)))
        case "hasSuffix":
            try arity(2...2)
            return .bool(Array(str(1).unicodeScalars).reversed().starts(with: Array(str(0).unicodeScalars).reversed()))
        case "trimPrefix": try arity(2...2); return .string(GoStrings.trimPrefix(str(1), str(0)))
        case "trimSuffix": try arity(2...2); return .string(GoStrings.trimSuffix(str(1), str(0)))
        case "trimAll": try arity(2...2); return .string(GoStrings.trim(str(1), cutset: str(0)))
        case "nospace":
            try arity(1...1)
            return .string(GoStrings.make(str(0).unicodeScalars.filter { !$0.properties.isWhitespace }))
        case "repeat":
            try arity(2...2)
            return .string(try GoStrings.repeated(str(1), toInt(args[0]), column: column))
        case "toString": try arity(1...1); return .string(str(0))
        case "atoi": try arity(1...1); return .int(Int(str(0)) ?? 0)
        case "int", "int64": try arity(1...1); return .int(toInt(args[0]))
        case "float64": try arity(1...1); return .double(toDouble(args[0]))
        case "default":
            try arity(1...2)
            return args.count == 2 && !args[1].isEmptyValue ? args[1] : args[0]
        case "empty": try arity(1...1); return .bool(args[0].isEmptyValue)
        case "coalesce": return args.first { !$0.isEmptyValue } ?? .null
        case "ternary":
            try arity(3...3)
            return args[2] == .bool(true) ? args[0] : args[1]
        case "list": return .array(args)
        case "dict":
            var m: [String: ExprValue] = [:]
            var i = 0
            while i < args.count {
                m[stringValue(args[i])] = i + 1 < args.count ? args[i + 1] : .string("")
                i += 2
            }
            return .map(m)
        case "join":
            try arity(2...2)
            let items: [ExprValue]
            if case .array(let a) = args[1] { items = a } else { items = [args[1]] }
            return .string(items.filter { $0 != .null }.map(stringValue).joined(separator: str(0)))
        case "splitList": try arity(2...2); return .array(GoStrings.split(str(1), str(0)).map { .string($0) })
        case "split":
            try arity(2...2)
            var m: [String: ExprValue] = [:]
            for (i, part) in GoStrings.split(str(1), str(0)).enumerated() { m["_\(i)"] = .string(part) }
            return .map(m)
        case "b64enc": try arity(1...1); return .string(Data(str(0).utf8).base64EncodedString())
        case "b64dec":
            try arity(1...1)
            guard let data = Data(base64Encoded: str(0)) else { return .string("illegal base64 data") }
            return .string(String(decoding: data, as: UTF8.self))
        case "add": return .int(try args.reduce(0) { try checked($0.addingReportingOverflow(toInt($1))) })
        case "add1": try arity(1...1); return .int(try checked(toInt(args[0]).addingReportingOverflow(1)))
        case "sub":
            try arity(2...2); return .int(try checked(toInt(args[0]).subtractingReportingOverflow(toInt(args[1]))))
        case "mul":
            try arity(1...Int.max)
            return .int(
                try args.dropFirst().reduce(toInt(args[0])) {
                    try checked($0.multipliedReportingOverflow(by: toInt($1)))
                })
        case "div", "mod":
            try arity(2...2)
            let (a, b) = (toInt(args[0]), toInt(args[1]))
            guard b != 0 else { throw ExprError("\(fn)(): integer divide by zero", column: column) }
            if b == -1 { return .int(name == "div" ? try checked((0).subtractingReportingOverflow(a)) : 0) }
            return .int(name == "div" ? a / b : a % b)
        case "max", "min":
            try arity(1...Int.max)
            let values = args.map(toInt)
            return .int((name == "max" ? values.max() : values.min()) ?? 0)
        case "addf", "subf", "mulf", "divf":
            try arity(1...Int.max)
            let values = args.map(toDouble)
            var acc = values[0]
            for v in values.dropFirst() {
                switch name {
                case "addf": acc += v
                case "subf": acc -= v
                case "mulf": acc *= v
                default: acc /= v
                }
            }
            return .double(acc)
        case "floor", "ceil", "round":
            try arity(1...1)
            let d = toDouble(args[0])
            return .double(
                name == "floor"
                    ? d.rounded(.down)
                    : name == "ceil"
                        ? d.rounded(.up)
                        : d.rounded(.toNearestOrAwayFromZero))
        case "quote":
            return .string(args.filter { $0 != .null }.map { goQuote(stringValue($0)) }.joined(separator: " "))
        case "squote":
            return .string(args.filter { $0 != .null }.map { "'" + stringValue($0) + "'" }.joined(separator: " "))
        case "cat":
            return .string(args.filter { $0 != .null }.map(stringValue).joined(separator: " "))
        case "substr":
            try arity(3...3)
            let s = Array(str(2).unicodeScalars)
            var (lo, hi) = (toInt(args[0]), toInt(args[1]))
            if lo < 0 { return .string(GoStrings.make(s[..<min(max(hi, 0), s.count)])) }
            if hi < 0 || hi > s.count { hi = s.count }
            lo = min(lo, hi)
            return .string(GoStrings.make(s[lo..<hi]))
        case "trunc":
            try arity(2...2)
            let s = Array(str(1).unicodeScalars)
            let n = toInt(args[0])
            if n >= 0 { return .string(GoStrings.make(s.prefix(n))) }
            return .string(GoStrings.make(s.suffix(n == Int.min ? s.count : min(-n, s.count))))
        case "toJson": try arity(1...1); return .string(args[0].jsonText)
        case "fromJson":
            try arity(1...1)
            return ExprValue(json: str(0)) ?? .map([:])
        case "first", "last":
            try arity(1...1)
            let a = try list(args[0])
            return (name == "first" ? a.first : a.last) ?? .null
        case "rest", "initial":
            try arity(1...1)
            let a = try list(args[0])
            return .array(Array(name == "rest" ? a.dropFirst() : a.dropLast()))
        case "append":
            try arity(2...2)
            return .array(try list(args[0]) + [args[1]])
        case "prepend":
            try arity(2...2)
            return .array([args[1]] + (try list(args[0])))
        case "reverse": try arity(1...1); return .array(try list(args[0]).reversed())
        case "has":
            try arity(2...2)
            return .bool(try list(args[1]).contains { Operators.equals($0, args[0]) })
        case "hasKey":
            try arity(2...2)
            guard case .map(let m) = args[0] else { return .bool(false) }
            return .bool(m[str(1)] != nil)
        case "get":
            try arity(2...2)
            guard case .map(let m) = args[0] else { return .string("") }
            return m[str(1)] ?? .string("")
        case "keys":
            return .array(
                args.flatMap { v -> [ExprValue] in
                    guard case .map(let m) = v else { return [] }
                    return m.keys.sorted().map { .string($0) }
                })
        case "until":
            try arity(1...1)
            let n = toInt(args[0])
            guard n <= 1_000_000 else { throw ExprError("\(fn)(): count too large", column: column) }
            return .array(n > 0 ? (0..<n).map { .int($0) } : [])
        case "regexMatch":
            try arity(2...2)
            return .bool(try Regex.matches(str(1), str(0), column: column))
        case "indent", "nindent":
            try arity(2...2)
            let pad = String(repeating: " ", count: max(0, min(toInt(args[0]), 10_000)))
            let body = pad + GoStrings.split(str(1), "\n").joined(separator: "\n" + pad)
            return .string(name == "nindent" ? "\n" + body : body)
        case "env", "expandenv":
            throw ExprError("\(fn)() is not available in Argo expressions", column: column)
        default:
            throw ExprError("unknown function \(fn)()", column: column)
        }
    }
}
