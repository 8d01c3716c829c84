/// An error from parsing or evaluating an expression, `when` condition, `depends` clause or template string.
///
/// `column` is 1-based and counts Unicode scalars in the *original* text handed to the public entry point, so a
/// linter can point at the exact spot (for `{{=…}}` inside a larger string the column is within that string).
public struct ExprError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong and, where useful, what was expected.
    public var message: String
    /// 1-based column in the original text.
    public var column: Int

    public init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }

    /// `message (column N)`.
    public var description: String { "\(message) (column \(column))" }
}
