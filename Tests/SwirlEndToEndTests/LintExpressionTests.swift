import Foundation
import Testing

/// `swirl lint` parses the expressions a manifest embeds (`{{=…}}`, `when`, `depends`, `retryStrategy.expression`,
/// `valueFrom.expression`) with the engine's own parsers and points at the offending column.
@Suite("Lint of embedded expressions via the CLI", .timeLimit(.minutes(1)))
struct LintExpressionTests {
    @Test func syntaxErrorsAreReportedAtTheirColumn() throws {
        try withSwirlHome { swirl in
            let path = "Tests/Fixtures/lint/expression-syntax.yaml"  // relative to the package root
            let lint = try swirl.run(["lint", path])
            #expect(lint.exitedNormally && lint.status == 1, "\(lint)")
            #expect(
                lint.stdoutLines == [
                    "\(path):10:21: error: spec.arguments.parameters[0].value: invalid expression: unexpected end of expression",
                    "\(path):20:60: error: spec.templates[0].steps[0][0].arguments.parameters[0].value: invalid expression: unexpected end of expression",
                    "\(path):23:45: error: spec.templates[0].steps[1][0].when: invalid 'when' condition: unexpected '=='; expected a value",
                    "\(path):33:124: error: spec.templates[1].container.args[0]: invalid expression: unexpected end of expression",
                    "\(path):37:50: error: spec.templates[2].retryStrategy.expression: invalid expression: unexpected end of expression",
                    "\(path):42:52: error: spec.templates[2].outputs.parameters[0].valueFrom.expression: invalid expression: unexpected token '*'",
                    "\(path):48:38: error: spec.templates[2].script.source: invalid expression: unexpected end of expression",
                    "\(path):56:33: error: spec.templates[3].dag.tasks[1].depends: invalid depends: expected a task name but found end of expression",
                    "\(path):60:21: error: spec.templates[3].dag.tasks[2].depends: invalid depends: unknown result 'Finished' for task 'A'; expected one of .Succeeded, .Failed, .Errored, .Skipped, .Omitted, .Daemoned, .AnySucceeded, .AllFailed",
                ], "\(lint)")
        }
    }

    @Test func validExpressionsPass() throws {
        try withSwirlHome { swirl in
            let lint = try swirl.run(["lint", "Tests/Fixtures/lint/valid"])
            #expect(lint.succeeded, "\(lint)")
        }
    }
}
