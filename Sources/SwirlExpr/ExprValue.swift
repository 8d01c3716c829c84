/// A dynamically typed value as seen by expressions: the JSON data model plus a distinction between integers and
/// floating-point numbers (expr-lang keeps `int` and `float64` apart, and Argo renders them differently).
public enum ExprValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ExprValue])
    case map([String: ExprValue])
    /// expr-lang's `time.Time`, from `now()` or `date(…)`.
    case time(ExprTime)
    /// expr-lang's `time.Duration` in nanoseconds, from `duration(…)` or subtracting times.
    case duration(Int)
}

extension ExprValue {
    /// Parses JSON text; `nil` when the text is not a single valid JSON value.
    ///
    /// Integral numbers that fit in `Int` become `.int`, all others `.double`. Nesting deeper than 512 is rejected
    /// rather than risking the stack.
    public init?(json text: String) {
        var parser = JSONParser(text)
        guard let value = parser.parseDocument() else { return nil }
        self = value
    }

    /// Compact JSON with map keys sorted, the way Go's `json.Marshal` prints a `map[string]any`.
    public var jsonText: String {
        var out = ""
        writeJSON(to: &out)
        return out
    }

    /// The text Argo puts in place of an expression: strings bare, numbers as Go's `%v` prints them (`1`, `1.5`,
    /// `1e+21`), `true`/`false`, and JSON for null, lists and maps. A time prints as RFC 3339 (Go's `%v` would
    /// give `2006-01-02 15:04:05 +0000 UTC`; RFC 3339 is what every other Argo timestamp looks like), a duration as
    /// Go prints it (`1h0m0s`).
    public var templateText: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return GoFloat.formatV(d)
        case .bool(let b): return b ? "true" : "false"
        case .null, .array, .map: return jsonText
        case .time(let t): return t.rfc3339
        case .duration(let d): return ExprDuration.format(d)
        }
    }

    /// Go-style truthiness used by sprig's `empty`/`default`: false, 0, "", nil, empty list or map are empty.
    public var isEmptyValue: Bool {
        switch self {
        case .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .double(let d): return d == 0
        case .string(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        case .map(let m): return m.isEmpty
        case .time: return false
        case .duration(let d): return d == 0
        }
    }

    /// The Bool payload, or `nil` for any other case.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The String payload, or `nil` for any other case.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The numeric payload as a Double (ints converted), or `nil` for non-numbers.
    public var numberValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// expr-lang's name for the value's type, used in error messages.
    public var typeName: String {
        switch self {
        case .null: return "nil"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "array"
        case .map: return "map"
        case .time: return "time.Time"
        case .duration: return "time.Duration"
        }
    }

    func writeJSON(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += GoFloat.formatJSON(d)
        case .string(let s): ExprValue.writeJSONString(s, to: &out)
        case .time(let t): ExprValue.writeJSONString(t.rfc3339Nano, to: &out)
        case .duration(let d): out += String(d)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.writeJSON(to: &out)
            }
            out += "]"
        case .map(let m):
            out += "{"
            for (i, key) in m.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
                .enumerated()
            {
                if i > 0 { out += "," }
                ExprValue.writeJSONString(key, to: &out)
                out += ":"
                m[key, default: .null].writeJSON(to: &out)
            }
            out += "}"
        }
    }

    static func writeJSONString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension ExprValue: CustomStringConvertible {
    /// Same as `templateText`.
    public var description: String { templateText }
}

extension ExprValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: ExprValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, ExprValue)...) {
        var m: [String: ExprValue] = [:]
        for (k, v) in elements { m[k] = v }
        self = .map(m)
    }
}

/// A small, non-recursive-risk JSON reader (depth-capped) that keeps ints and doubles apart.
struct JSONParser {
    private let s: [UInt8]
    private var i = 0
    private let maxDepth = 512

    init(_ text: String) { s = Array(text.utf8) }

    mutating func parseDocument() -> ExprValue? {
        skipSpace()
        guard let v = parseValue(depth: 0) else { return nil }
        skipSpace()
        return i == s.count ? v : nil
    }

    private mutating func skipSpace() {
        while i < s.count, s[i] == 0x20 || s[i] == 0x0A || s[i] == 0x0D || s[i] == 0x09 { i += 1 }
    }

    private mutating func parseValue(depth: Int) -> ExprValue? {
        guard depth < maxDepth, i < s.count else { return nil }
        switch s[i] {
        case UInt8(ascii: "{"):
            i += 1
            var m: [String: ExprValue] = [:]
            skipSpace()
            if i < s.count, s[i] == UInt8(ascii: "}") { i += 1; return .map(m) }
            while true {
                skipSpace()
                guard i < s.count, s[i] == UInt8(ascii: "\""), let key = parseString() else { return nil }
                skipSpace()
                guard i < s.count, s[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipSpace()
                guard let v = parseValue(depth: depth + 1) else { return nil }
                m[key] = v
                skipSpace()
                guard i < s.count else { return nil }
                if s[i] == UInt8(ascii: ",") { i += 1; continue }
                if s[i] == UInt8(ascii: "}") { i += 1; return .map(m) }
                return nil
            }
        case UInt8(ascii: "["):
            i += 1
            var a: [ExprValue] = []
            skipSpace()
            if i < s.count, s[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            while true {
                skipSpace()
                guard let v = parseValue(depth: depth + 1) else { return nil }
                a.append(v)
                skipSpace()
                guard i < s.count else { return nil }
                if s[i] == UInt8(ascii: ",") { i += 1; continue }
                if s[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                return nil
            }
        case UInt8(ascii: "\""):
            return parseString().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return parseNumber()
        }
    }

    private mutating func literal(_ word: String, _ value: ExprValue) -> ExprValue? {
        let w = Array(word.utf8)
        guard i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w else { return nil }
        i += w.count
        return value
    }

    private mutating func parseNumber() -> ExprValue? {
        let start = i
        var isFloat = false
        if i < s.count, s[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { i += 1 }
        guard i > intStart else { return nil }
        if s[intStart] == 0x30, i - intStart > 1 { return nil }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            let f = i
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { i += 1 }
            guard i > f else { return nil }
        }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            isFloat = true
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            let e = i
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39 { i += 1 }
            guard i > e else { return nil }
        }
        let text = String(decoding: s[start..<i], as: UTF8.self)
        if !isFloat, let n = Int(text) { return .int(n) }
        guard let d = Double(text) else { return nil }
        return .double(d)
    }

    private mutating func parseString() -> String? {
        i += 1  // opening quote
        var bytes: [UInt8] = []
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if c < 0x20 { return nil }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < s.count else { return nil }
                let e = s[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if code >= 0xD800, code < 0xDC00 {
                        // Surrogate pair.
                        if i + 1 < s.count, s[i] == UInt8(ascii: "\\"), s[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            guard let low = hex4(), low >= 0xDC00, low < 0xE000 else { return nil }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            code = 0xFFFD
                        }
                    } else if code >= 0xDC00, code < 0xE000 {
                        code = 0xFFFD
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
                continue
            }
            bytes.append(c)
            i += 1
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= s.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = s[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
