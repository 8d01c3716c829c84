import Foundation

/// expr-lang's builtin functions plus Argo's additions (`asInt`, `asFloat`, `toJson`, `jsonpath`).
/// `now()` reads the clock the caller passed in (the engine's event time), never the machine's.
extension Evaluator {
    func call(_ name: String, _ args: [Node], column: Int) throws -> ExprValue {
        if name.hasPrefix("sprig.") {
            let values = try args.map { try eval($0) }
            return try Sprig.call(String(name.dropFirst(6)), values, column: column)
        }
        if Parser.closureFunctions.contains(name) {
            return try callWithClosure(name, args, column: column)
        }
        let values = try args.map { try eval($0) }
        if TimeFunctions.names.contains(name) {
            return try TimeFunctions.call(name, values, now: now, column: column)
        }
        return try Builtins.call(name, values, column: column)
    }

    private func callWithClosure(_ name: String, _ args: [Node], column: Int) throws -> ExprValue {
        let minArgs = (name == "count" || name == "sum") ? 1 : 2
        let maxArgs = (name == "sortBy" || name == "reduce") ? 3 : 2
        guard args.count >= minArgs, args.count <= maxArgs else {
            throw ExprError(
                "\(name)() expects \(minArgs == maxArgs ? "\(minArgs)" : "\(minArgs) to \(maxArgs)") "
                    + "arguments, got \(args.count)", column: column)
        }
        let list = try eval(args[0])
        let identity = Node(.closure(Node(.pointer(""), column: column)), column: column, children: [])
        let closure = args.count > 1 ? args[1] : identity
        func requireBool(_ v: ExprValue) throws -> Bool {
            guard case .bool(let b) = v else {
                throw ExprError("\(name)() predicate must return bool, not \(v.typeName)", column: closure.column)
            }
            return b
        }
        switch name {
        case "filter":
            var out: [ExprValue] = []
            try forEach(list, closure, function: name, column: column) { _, item, r in
                if try requireBool(r) { out.append(item) }
                return true
            }
            return .array(out)
        case "map":
            var out: [ExprValue] = []
            try forEach(list, closure, function: name, column: column) { _, _, r in
                out.append(r)
                return true
            }
            return .array(out)
        case "all", "any", "none", "one", "count":
            var hits = 0
            var all = true
            try forEach(list, closure, function: name, column: column) { _, _, r in
                if try requireBool(r) { hits += 1 } else { all = false }
                if name == "all" { return all }
                if name == "any" || name == "none" { return hits == 0 }
                return true
            }
            switch name {
            case "all": return .bool(all)
            case "any": return .bool(hits > 0)
            case "none": return .bool(hits == 0)
            case "one": return .bool(hits == 1)
            default: return .int(hits)
            }
        case "find", "findIndex", "findLast", "findLastIndex":
            var found: (Int, ExprValue)? = nil
            let last = name.hasPrefix("findLast")
            try forEach(list, closure, function: name, column: column) { i, item, r in
                if try requireBool(r) { found = (i, item) }
                return found == nil || last
            }
            if name.hasSuffix("Index") { return .int(found?.0 ?? -1) }
            return found?.1 ?? .null
        case "sum":
            var total: ExprValue = .int(0)
            try forEach(list, closure, function: name, column: column) { _, _, r in
                guard let t = try Operators.arithmetic("+", total, r, column: column) else {
                    throw ExprError("sum() expects numbers, not \(r.typeName)", column: column)
                }
                total = t
                return true
            }
            return total
        case "sortBy":
            var keyed: [(ExprValue, ExprValue)] = []
            try forEach(list, closure, function: name, column: column) { _, item, r in
                keyed.append((r, item))
                return true
            }
            let descending = args.count == 3 ? try eval(args[2]) == .string("desc") : false
            var failure: ExprError? = nil
            keyed = keyed.enumerated().sorted { x, y in
                guard let order = Operators.compare(x.element.0, y.element.0) else {
                    failure = ExprError("sortBy() keys must be all numbers or all strings", column: column)
                    return x.offset < y.offset
                }
                if order == 0 { return x.offset < y.offset }
                return descending ? order > 0 : order < 0
            }.map(\.element)
            if let failure { throw failure }
            return .array(keyed.map(\.1))
        case "groupBy":
            var groups: [String: [ExprValue]] = [:]
            try forEach(list, closure, function: name, column: column) { _, item, r in
                groups[r.templateText, default: []].append(item)
                return true
            }
            return .map(groups.mapValues { .array($0) })
        default:  // reduce
            guard case .closure(let body) = closure.kind else {
                throw ExprError("reduce() expects a closure", column: closure.column)
            }
            guard case .array(let items) = list else {
                throw ExprError("reduce() expects an array, not \(list.typeName)", column: column)
            }
            var acc: ExprValue
            var start = 0
            if args.count == 3 {
                acc = try eval(args[2])
            } else {
                guard let first = items.first else { return .null }
                acc = first
                start = 1
            }
            for i in items.indices.dropFirst(start) {
                scopes.append(Scope(element: items[i], index: i, accumulator: acc))
                defer { scopes.removeLast() }
                acc = try eval(body)
            }
            return acc
        }
    }
}

/// Builtins whose arguments are plain values.
enum Builtins {
    static func arity(_ name: String, _ args: [ExprValue], _ range: ClosedRange<Int>, column: Int) throws {
        guard range.contains(args.count) else {
            let expected =
                range.lowerBound == range.upperBound
                ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw ExprError(
                "\(name)() expects \(expected) argument\(range.upperBound == 1 ? "" : "s"), "
                    + "got \(args.count)", column: column)
        }
    }

    static func string(_ name: String, _ v: ExprValue, column: Int) throws -> String {
        guard case .string(let s) = v else {
            throw ExprError("\(name)() expects a string, not \(v.typeName)", column: column)
        }
        return s
    }

    static func array(_ name: String, _ v: ExprValue, column: Int) throws -> [ExprValue] {
        guard case .array(let a) = v else {
            throw ExprError("\(name)() expects an array, not \(v.typeName)", column: column)
        }
        return a
    }

    static func toInt(_ name: String, _ v: ExprValue, column: Int) throws -> Int {
        switch v {
        case .int(let i): return i
        case .double(let d):
            guard d.isFinite, d > -9.2e18, d < 9.2e18 else {
                throw ExprError("\(name)(): \(GoFloat.formatV(d)) does not fit in an int", column: column)
            }
            return Int(d)
        case .string(let s):
            if let i = Int(s) { return i }
            throw ExprError("\(name)(): cannot parse \"\(s)\" as an int", column: column)
        default:
            throw ExprError("\(name)(): cannot convert \(v.typeName) to int", column: column)
        }
    }

    static func toDouble(_ name: String, _ v: ExprValue, column: Int) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s):
            if let d = Double(s) { return d }
            throw ExprError("\(name)(): cannot parse \"\(s)\" as a float", column: column)
        default:
            throw ExprError("\(name)(): cannot convert \(v.typeName) to float", column: column)
        }
    }

    static func call(_ name: String, _ args: [ExprValue], column: Int) throws -> ExprValue {
        func one() throws -> ExprValue {
            try arity(name, args, 1...1, column: column)
            return args[0]
        }
        func str(_ i: Int) throws -> String { try string(name, args[i], column: column) }
        switch name {
        case "len":
            switch try one() {
            case .string(let s): return .int(s.unicodeScalars.count)
            case .array(let a): return .int(a.count)
            case .map(let m): return .int(m.count)
            case let v: throw ExprError("invalid argument for len (type \(v.typeName))", column: column)
            }
        case "int", "asInt": return .int(try toInt(name, try one(), column: column))
        case "float", "asFloat": return .double(try toDouble(name, try one(), column: column))
        case "string": return .string(try one().templateText)
        case "toJson", "toJSON": return .string(try one().jsonText)
        case "fromJSON", "fromJson":
            let s = try string(name, try one(), column: column)
            guard let v = ExprValue(json: s) else { throw ExprError("\(name)(): invalid JSON", column: column) }
            return v
        case "jsonpath":
            try arity(name, args, 2...2, column: column)
            guard let doc = ExprValue(json: try str(0)) else {
                throw ExprError("jsonpath(): first argument is not valid JSON", column: column)
            }
            return try JSONPath.evaluate(try str(1), on: doc, column: column)
        case "lower": return .string(try string(name, try one(), column: column).lowercased())
        case "upper": return .string(try string(name, try one(), column: column).uppercased())
        case "trim", "trimPrefix", "trimSuffix":
            try arity(name, args, name == "trim" ? 1...2 : 2...2, column: column)
            let s = try str(0)
            if name == "trim" {
                if args.count == 1 { return .string(GoStrings.trimSpace(s)) }
                return .string(GoStrings.trim(s, cutset: try str(1)))
            }
            return .string(
                name == "trimPrefix"
                    ? GoStrings.trimPrefix(s, try str(1)) : GoStrings.trimSuffix(s, try str(1)))
        case "split":
            try arity(name, args, 2...3, column: column)
            let n = args.count == 3 ? try toInt(name, args[2], column: column) : -1
            return .array(GoStrings.split(try str(0), try str(1), n: n).map { .string($0) })
        case "join":
            try arity(name, args, 1...2, column: column)
            let items = try array(name, args[0], column: column)
            let sep = args.count == 2 ? try str(1) : ""
            return .string(items.map(\.templateText).joined(separator: sep))
        case "replace":
            try arity(name, args, 3...3, column: column)
            return .string(GoStrings.replaceAll(try str(0), try str(1), try str(2)))
        case "repeat":
            try arity(name, args, 2...2, column: column)
            return .string(try GoStrings.repeated(try str(0), try toInt(name, args[1], column: column), column: column))
        case "indexOf", "lastIndexOf":
            try arity(name, args, 2...2, column: column)
            return .int(GoStrings.index(of: try str(1), in: try str(0), last: name == "lastIndexOf"))
        case "hasPrefix", "hasSuffix":
            try arity(name, args, 2...2, column: column)
            let (s, p) = (Array(try str(0).unicodeScalars), Array(try str(1).unicodeScalars))
            return .bool(name == "hasPrefix" ? s.starts(with: p) : s.reversed().starts(with: p.reversed()))
        case "keys", "values":
            guard case .map(let m) = try one() else {
                throw ExprError("\(name)() expects a map, not \(args[0].typeName)", column: column)
            }
            let sorted = m.keys.sorted()
            return .array(name == "keys" ? sorted.map { .string($0) } : sorted.map { m[$0] ?? .null })
        case "first", "last":
            switch try one() {
            case .array(let a): return (name == "first" ? a.first : a.last) ?? .null
            case .null: return .null
            case let v: throw ExprError("\(name)() expects an array, not \(v.typeName)", column: column)
            }
        case "reverse": return .array(try array(name, try one(), column: column).reversed())
        case "uniq":
            var out: [ExprValue] = []
            for v in try array(name, try one(), column: column) where !out.contains(where: { Operators.equals($0, v) })
            {
                out.append(v)
            }
            return .array(out)
        case "concat":
            return .array(try args.flatMap { try array(name, $0, column: column) })
        case "flatten":
            func flat(_ v: ExprValue) -> [ExprValue] {
                if case .array(let a) = v { return a.flatMap(flat) }
                return [v]
            }
            return .array(flat(.array(try array(name, try one(), column: column))))
        case "sort":
            try arity(name, args, 1...2, column: column)
            let items = try array(name, args[0], column: column)
            let descending = args.count == 2 && args[1] == .string("desc")
            var failed = false
            let sorted = items.sorted { x, y in
                guard let o = Operators.compare(x, y) else { failed = true; return false }
                return descending ? o > 0 : o < 0
            }
            if failed { throw ExprError("sort() needs all numbers or all strings", column: column) }
            return .array(sorted)
        case "abs":
            switch try one() {
            case .int(let i):
                guard i != Int.min else { throw ExprError("integer overflow in abs", column: column) }
                return .int(Swift.abs(i))
            case .double(let d): return .double(Swift.abs(d))
            case let v: throw ExprError("invalid argument for abs (type \(v.typeName))", column: column)
            }
        case "ceil", "floor", "round":
            let d = try toDouble(name, try one(), column: column)
            if case .string = args[0] { throw ExprError("\(name)() expects a number", column: column) }
            return .double(
                name == "ceil"
                    ? d.rounded(.up)
                    : name == "floor"
                        ? d.rounded(.down)
                        : d.rounded(.toNearestOrAwayFromZero))
        case "max", "min":
            var items = args
            if args.count == 1, case .array(let a) = args[0] { items = a }
            guard var best = items.first else { throw ExprError("\(name)() needs at least one value", column: column) }
            for v in items {
                guard v.numberValue != nil, let o = Operators.compare(v, best) else {
                    throw ExprError("\(name)() expects numbers, not \(v.typeName)", column: column)
                }
                if name == "max" ? o > 0 : o < 0 { best = v }
            }
            return best
        case "toBase64": return .string(Data(try string(name, try one(), column: column).utf8).base64EncodedString())
        case "fromBase64":
            guard let data = Data(base64Encoded: try string(name, try one(), column: column)) else {
                throw ExprError("fromBase64(): invalid base64", column: column)
            }
            return .string(String(decoding: data, as: UTF8.self))
        case "type": return .string(try one().typeName)
        case "get":
            try arity(name, args, 2...2, column: column)
            switch (args[0], args[1].normalizedInteger) {
            case (.map(let m), .string(let k)): return m[k] ?? .null
            case (.array(let a), .int(var i)):
                if i < 0 { i += a.count }
                return a.indices.contains(i) ? a[i] : .null
            default: return .null
            }
        default:
            throw ExprError("unknown function \(name)()", column: column)
        }
    }
}
