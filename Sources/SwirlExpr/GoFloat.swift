/// Formats doubles the way Go does, so rendered parameters match what Argo would produce.
enum GoFloat {
    /// Shortest round-trip decimal digits of |d| and the decimal point position: value = 0.DIGITS × 10^dp.
    private static func decompose(_ d: Double) -> (digits: [Character], dp: Int) {
        let text = abs(d).description  // shortest round-trip, e.g. "1.5", "1e-05", "1.234e+16"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].replacingPlus()) ?? 0
        }
        var digits: [Character] = []
        var pointPos: Int? = nil
        for ch in mantissa {
            if ch == "." { pointPos = digits.count } else if ch.isNumber { digits.append(ch) }
        }
        var dp = (pointPos ?? digits.count) + exponent
        while let first = digits.first, first == "0" {
            digits.removeFirst()
            dp -= 1
        }
        while let last = digits.last, last == "0" { digits.removeLast() }
        if digits.isEmpty { return (["0"], 1) }
        return (digits, dp)
    }

    private static func special(_ d: Double) -> String? {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        return nil
    }

    private static func fixed(_ digits: [Character], _ dp: Int) -> String {
        if dp <= 0 { return "0." + String(repeating: "0", count: -dp) + String(digits) }
        if dp >= digits.count { return String(digits) + String(repeating: "0", count: dp - digits.count) }
        return String(digits[..<dp]) + "." + String(digits[dp...])
    }

    private static func exponential(_ digits: [Character], _ dp: Int, minExpDigits: Int) -> String {
        var s = String(digits[0])
        if digits.count > 1 { s += "." + String(digits[1...]) }
        let exp = dp - 1
        let expDigits = String(abs(exp))
        s += exp < 0 ? "e-" : "e+"
        s += String(repeating: "0", count: max(0, minExpDigits - expDigits.count)) + expDigits
        return s
    }

    /// Go's `fmt.Sprintf("%v", d)`: `1`, `1.5`, `1e+06`, `1.234567e+06`, `1e-05`.
    static func formatV(_ d: Double) -> String {
        if let s = special(d) { return s }
        let (digits, dp) = decompose(d)
        let exp = dp - 1
        let body = (exp < -4 || exp >= 6) ? exponential(digits, dp, minExpDigits: 2) : fixed(digits, dp)
        return (d < 0 ? "-" : "") + body
    }

    /// Go's `encoding/json` rendering of a float64: `1`, `1.5`, `1e+21`, `1e-7`; non-finite values become `null`.
    static func formatJSON(_ d: Double) -> String {
        if !d.isFinite { return "null" }
        if d == 0 { return "0" }
        let (digits, dp) = decompose(d)
        let a = abs(d)
        let body = (a < 1e-6 || a >= 1e21) ? exponential(digits, dp, minExpDigits: 1) : fixed(digits, dp)
        return (d < 0 ? "-" : "") + body
    }
}

extension Substring {
    fileprivate func replacingPlus() -> String { String(self.filter { $0 != "+" }) }
}
