import Foundation

/// The expr-lang (github.com/expr-lang/expr) dialect Argo evaluates inside `{{=…}}`, `retryStrategy.expression`,
/// `valueFrom.expression` and friends.
///
/// Semantics follow `expr.Eval` without a type checker, as Argo calls it: names missing from `env` read as `nil`,
/// missing map keys read as `nil`, strings and numbers never convert implicitly (`"1" + 1` is an error;
/// `asInt("1") + 1` is 2), `/` and `**` produce floats, integer overflow is reported instead of wrapping.
public enum Expr {
    /// Evaluates `source` against `env` (dotted Argo variables expanded into nested maps by the caller).
    /// - Parameter now: what `now()` returns. The caller supplies the clock (the engine passes the time of the event
    ///   it handles) so that evaluation never reads the machine's; without one `now()` is an error.
    /// - Throws: `ExprError` with the 1-based column of the offending token in `source`.
    public static func evaluate(_ source: String, env: [String: ExprValue], now: Date? = nil) throws -> ExprValue {
        try evaluate(source, env: env, baseColumn: 1, now: now)
    }

    /// Evaluates and requires a Bool, as `retryStrategy.expression` or a `when` written in expr needs.
    public static func evaluateBool(_ source: String, env: [String: ExprValue], now: Date? = nil) throws -> Bool {
        let value = try evaluate(source, env: env, now: now)
        guard case .bool(let b) = value else {
            throw ExprError(
                "expected the expression to produce a bool, got \(value.typeName) \(value.jsonText)",
                column: 1)
        }
        return b
    }

    /// Checks `source` for syntax errors without evaluating it (for lint).
    public static func validate(_ source: String) throws {
        _ = try Parser.parse(source)
    }

    static func evaluate(_ source: String, env: [String: ExprValue], baseColumn: Int, now: Date? = nil) throws
        -> ExprValue
    {
        let node = try Parser.parse(source, baseColumn: baseColumn)
        return try Evaluator(env: env, now: now.map(ExprTime.init)).eval(node)
    }
}
