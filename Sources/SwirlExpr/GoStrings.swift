/// Go's `strings` package functions that expr and sprig expose, reproduced so edge cases (empty separators,
/// cutsets, `n` limits) behave as in Argo.
enum GoStrings {
    static func trimSpace(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        var lo = 0
        var hi = scalars.count
        while lo < hi, scalars[lo].properties.isWhitespace { lo += 1 }
        while hi > lo, scalars[hi - 1].properties.isWhitespace { hi -= 1 }
        return make(scalars[lo..<hi])
    }

    static func trim(_ s: String, cutset: String) -> String {
        let cut = Set(cutset.unicodeScalars)
        let scalars = Array(s.unicodeScalars)
        var lo = 0
        var hi = scalars.count
        while lo < hi, cut.contains(scalars[lo]) { lo += 1 }
        while hi > lo, cut.contains(scalars[hi - 1]) { hi -= 1 }
        return make(scalars[lo..<hi])
    }

    static func trimPrefix(_ s: String, _ prefix: String) -> String {
        let (a, p) = (Array(s.unicodeScalars), Array(prefix.unicodeScalars))
        return a.starts(with: p) ? make(a[p.count...]) : s
    }

    static func trimSuffix(_ s: String, _ suffix: String) -> String {
        let (a, p) = (Array(s.unicodeScalars), Array(suffix.unicodeScalars))
        return a.reversed().starts(with: p.reversed()) ? make(a[..<(a.count - p.count)]) : s
    }

    /// `strings.SplitN(s, sep, n)`; n < 0 means no limit, n == 0 gives no pieces.
    static func split(_ s: String, _ sep: String, n: Int = -1) -> [String] {
        if n == 0 { return [] }
        let a = Array(s.unicodeScalars)
        let p = Array(sep.unicodeScalars)
        if p.isEmpty {
            var parts = a.map { String(Character($0)) }
            if n > 0, parts.count > n {
                parts = Array(parts[..<(n - 1)]) + [make(a[(n - 1)...])]
            }
            return parts
        }
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + p.count <= a.count {
            if n > 0, parts.count == n - 1 { break }
            if Array(a[i..<(i + p.count)]) == p {
                parts.append(make(a[start..<i]))
                i += p.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(make(a[start...]))
        return parts
    }

    static func replaceAll(_ s: String, _ old: String, _ new: String) -> String {
        if old.isEmpty {
            // Go inserts `new` before every rune and at the end.
            var out = new
            for c in s.unicodeScalars { out.unicodeScalars.append(c); out += new }
            return out
        }
        return split(s, old).joined(separator: new)
    }

    static func repeated(_ s: String, _ count: Int, column: Int) throws -> String {
        guard count >= 0 else { throw ExprError("repeat count must not be negative", column: column) }
        guard s.unicodeScalars.count.multipliedReportingOverflow(by: count).partialValue <= 10_000_000,
            !s.unicodeScalars.count.multipliedReportingOverflow(by: count).overflow
        else {
            throw ExprError("repeat would produce a string longer than 10,000,000 characters", column: column)
        }
        return String(repeating: s, count: count)
    }

    /// Index in Unicode scalars of the first (or last) occurrence of `needle`, -1 when absent.
    static func index(of needle: String, in s: String, last: Bool) -> Int {
        let a = Array(s.unicodeScalars)
        let p = Array(needle.unicodeScalars)
        guard p.count <= a.count else { return -1 }
        let starts = Array(0...(a.count - p.count))
        for i in (last ? starts.reversed() : starts) where Array(a[i..<(i + p.count)]) == p { return i }
        return -1
    }

    static func make<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }
}
