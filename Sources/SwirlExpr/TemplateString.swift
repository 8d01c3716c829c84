import Foundation

/// Argo's `{{…}}` template strings: simple tags `{{ inputs.parameters.x }}` looked up by name, and expression tags
/// `{{=expr}}` evaluated with `Expr`. Substitution is single-pass: replaced text is never scanned again.
public enum TemplateString {
    /// Whether `text` contains `{{` (and so may hold a tag): a scan of its UTF-8 bytes, where Foundation's
    /// `contains(_:)` on a `String` goes through `NSString` (a measurable part of building each pod's request).
    public static func mayContainTags(_ text: String) -> Bool {
        var previousWasBrace = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "{") {
                if previousWasBrace { return true }
                previousWasBrace = true
            } else {
                previousWasBrace = false
            }
        }
        return false
    }

    /// Replaces every `{{ name }}` (whitespace around the name allowed) with `lookup(name)`; when `lookup` returns
    /// `nil` the tag is left verbatim, as Argo's `allowUnresolved` substitution does.
    ///
    /// `{{=expr}}` is evaluated with `Expr.evaluate` against `env()` (called lazily, at most once per string) and
    /// rendered with `ExprValue.templateText`. A `nil` env leaves expression tags verbatim, so a first pass can
    /// resolve plain names and a later one the expressions.
    /// A `{{` without a closing `}}` is copied as it is. Nested tags resolve innermost first, one level per call:
    /// `{{outer-{{inner}}}}` becomes `{{outer-VALUE}}` (Argo's behaviour; call again for the outer tag).
    ///
    /// - Parameter allowUnresolved: when true, an expression that fails or yields `nil` is left verbatim (Argo's
    ///   behaviour for late-bound names such as `retries`); when false (the default) it throws.
    /// - Parameter now: what `now()` returns inside `{{=…}}` (see `Expr.evaluate(_:env:now:)`).
    /// - Throws: `ExprError` whose column is within `text`.
    public static func substitute(
        _ text: String, lookup: (String) -> String?, env: (() -> [String: ExprValue])? = nil,
        allowUnresolved: Bool = false, now: Date? = nil
    ) throws -> String {
        var out = ""
        var cachedEnv: [String: ExprValue]? = nil
        for segment in segments(of: text) {
            switch segment {
            case .literal(let s):
                out += s
            case .simple(let name, let raw):
                out += (name.isEmpty ? nil : lookup(name)) ?? raw
            case .expression(let source, let raw, let column):
                guard let env else {
                    out += raw
                    continue
                }
                if cachedEnv == nil { cachedEnv = env() }
                let value: ExprValue
                do {
                    value = try Expr.evaluate(source, env: cachedEnv ?? [:], baseColumn: column, now: now)
                } catch {
                    if allowUnresolved {
                        out += raw
                        continue
                    }
                    throw error
                }
                if case .null = value {
                    if allowUnresolved {
                        out += raw
                        continue
                    }
                    throw ExprError("expression '\(source)' evaluated to nil", column: column)
                }
                out += value.templateText
            }
        }
        return out
    }

    /// The simple tag names in `text`, trimmed, in order of appearance (duplicates kept out), e.g.
    /// `["inputs.parameters.x", "item"]`. Expression tags are not included; see `expressions(in:)`.
    public static func references(in text: String) -> [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for case .simple(let name, _) in segments(of: text) where !name.isEmpty && seen.insert(name).inserted {
            names.append(name)
        }
        return names
    }

    /// The sources of the `{{=…}}` tags in `text` (without the `=`, whitespace trimmed), in order.
    public static func expressions(in text: String) -> [String] {
        segments(of: text).compactMap {
            if case .expression(let source, _, _) = $0 { return GoStrings.trimSpace(source) }
            return nil
        }
    }

    /// Syntax errors of the `{{=…}}` tags in `text` (for lint), without evaluating anything; each column is within
    /// `text`. A tag that contains another tag is only complete after substitution, so it is not checked.
    public static func syntaxErrors(in text: String) -> [ExprError] {
        segments(of: text).compactMap { segment in
            guard case .expression(let source, _, let column) = segment else { return nil }
            do {
                _ = try Parser.parse(source, baseColumn: column)
                return nil
            } catch let error as ExprError {
                return error
            } catch {
                return ExprError("\(error)", column: column)
            }
        }
    }

    /// Whether `text` contains any `{{…}}` tag at all (a cheap test before substituting).
    public static func containsTags(_ text: String) -> Bool {
        segments(of: text).contains {
            if case .literal = $0 { return false }
            return true
        }
    }

    enum Segment: Equatable {
        case literal(String)
        /// Trimmed name and the raw tag text (to put back when unresolved).
        case simple(String, raw: String)
        /// Expression source, raw tag text, and the column of the source's first character in the text.
        case expression(String, raw: String, column: Int)
    }

    static func segments(of text: String) -> [Segment] {
        let s = Array(text.unicodeScalars)
        var result: [Segment] = []
        var literalStart = 0
        var i = 0
        func flushLiteral(upTo end: Int) {
            if end > literalStart { result.append(.literal(GoStrings.make(s[literalStart..<end]))) }
        }
        while i + 1 < s.count {
            guard s[i] == "{", s[i + 1] == "{" else {
                i += 1
                continue
            }
            let isExpression = i + 2 < s.count && s[i + 2] == "="
            let bodyStart = i + (isExpression ? 3 : 2)
            let close = isExpression ? expressionEnd(s, from: bodyStart) : firstClose(s, from: bodyStart)
            guard let close else { break }
            // Innermost tag first, as Argo does: in `{{outer-{{inner}}}}` only `{{inner}}` is a tag this pass.
            if let inner = firstOpen(s, from: i + 2, before: close) {
                i = inner
                continue
            }
            flushLiteral(upTo: i)
            let body = GoStrings.make(s[bodyStart..<close])
            let raw = GoStrings.make(s[i..<(close + 2)])
            if isExpression {
                result.append(.expression(body, raw: raw, column: bodyStart + 1))
            } else {
                result.append(.simple(GoStrings.trimSpace(body), raw: raw))
            }
            i = close + 2
            literalStart = i
        }
        flushLiteral(upTo: s.count)
        return result
    }

    private static func firstOpen(_ s: [Unicode.Scalar], from start: Int, before end: Int) -> Int? {
        var j = start
        while j + 1 < end {
            if s[j] == "{" && s[j + 1] == "{" { return j }
            j += 1
        }
        return nil
    }

    private static func firstClose(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var j = start
        while j + 1 < s.count {
            if s[j] == "}" && s[j + 1] == "}" { return j }
            j += 1
        }
        return nil
    }

    /// The `}}` that closes an expression: the first one outside string literals and brackets, so
    /// `{{=toJson({'a': {'b': 1}})}}` works; falls back to the first `}}` when brackets never balance.
    private static func expressionEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var depth = 0
        var quote: Unicode.Scalar? = nil
        var j = start
        while j < s.count {
            let c = s[j]
            if let q = quote {
                if c == "\\" && q != "`" {
                    j += 1
                } else if c == q {
                    quote = nil
                }
            } else if c == "'" || c == "\"" || c == "`" {
                quote = c
            } else if c == "(" || c == "[" || c == "{" {
                depth += 1
            } else if c == ")" || c == "]" || (c == "}" && depth > 0) {
                depth -= 1
            } else if c == "}", depth == 0, j + 1 < s.count, s[j + 1] == "}" {
                return j
            }
            j += 1
        }
        return firstClose(s, from: start)
    }
}
