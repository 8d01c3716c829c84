import SwirlExpr
import SwirlSpec

/// The linter's window on SwirlExpr's parsers: SwirlSpec sits below SwirlExpr and cannot call them itself.
struct ExprSyntaxChecker: ExpressionSyntaxChecker {
    func checkTemplateString(_ text: String) -> [SyntaxProblem] {
        TemplateString.syntaxErrors(in: text).map { SyntaxProblem(message: $0.message, column: $0.column) }
    }

    func checkExpression(_ source: String) -> SyntaxProblem? {
        problem { try Expr.validate(source) }
    }

    func checkWhen(_ condition: String) -> SyntaxProblem? {
        problem { try When.validate(condition) }
    }

    func checkDepends(_ expression: String) -> SyntaxProblem? {
        problem { _ = try Depends.taskNames(in: expression) }
    }

    private func problem(_ parse: () throws -> Void) -> SyntaxProblem? {
        do {
            try parse()
            return nil
        } catch let error as ExprError {
            return SyntaxProblem(message: error.message, column: error.column)
        } catch {
            return SyntaxProblem(message: "\(error)", column: 1)
        }
    }
}
