import SwirlSpec
import Testing

/// The linter's expression hook: which fields reach which parser, with what text, and where findings land.
@Suite struct ExpressionSyntaxHookTests {
    /// Flags the first "BAD" in whatever it is given, and records every call.
    final class Recorder: ExpressionSyntaxChecker, @unchecked Sendable {
        var calls: [String] = []

        func column(of text: String) -> Int? {
            guard let range = text.range(of: "BAD") else { return nil }
            return text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound) + 1
        }

        func checkTemplateString(_ text: String) -> [SyntaxProblem] {
            calls.append("template: \(text)")
            return column(of: text).map { [SyntaxProblem(message: "bad template", column: $0)] } ?? []
        }

        func checkExpression(_ source: String) -> SyntaxProblem? {
            calls.append("expr: \(source)")
            return column(of: source).map { SyntaxProblem(message: "bad expr", column: $0) }
        }

        func checkWhen(_ condition: String) -> SyntaxProblem? {
            calls.append("when: \(condition)")
            return column(of: condition).map { SyntaxProblem(message: "bad when", column: $0) }
        }

        func checkDepends(_ expression: String) -> SyntaxProblem? {
            calls.append("depends: \(expression)")
            return column(of: expression).map { SyntaxProblem(message: "bad depends", column: $0) }
        }
    }

    static let yaml = """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: w}
        spec:
          entrypoint: main
          templates:
          - name: main
            dag:
              tasks:
              - name: a
                template: t
              - name: b
                depends: "a && BAD"
                when: "{{tasks.a.outputs.result}} == BAD"
                template: t
          - name: t
            inputs: {parameters: [{name: x}]}
            retryStrategy:
              expression: "{{inputs.parameters.x}} BAD"
            script:
              image: alpine
              source: |
                echo one
                  echo {{=BAD}}
            outputs:
              parameters:
              - name: p
                valueFrom: {expression: 'BAD'}
        """

    @Test func everyEmbeddedLanguageReachesItsParserAndIsPlaced() {
        let recorder = Recorder()
        let diagnostics = Linter.lint(text: Self.yaml, file: "w.yaml", expressions: recorder).map(\.description)
        #expect(
            diagnostics == [
                "w.yaml:13:24: error: spec.templates[0].dag.tasks[1].depends: unknown task 'BAD' in depends",
                "w.yaml:13:24: error: spec.templates[0].dag.tasks[1].depends: invalid depends: bad depends",
                "w.yaml:14:46: error: spec.templates[0].dag.tasks[1].when: invalid 'when' condition: bad when",
                "w.yaml:19:44: error: spec.templates[1].retryStrategy.expression: invalid expression: bad expr",
                "w.yaml:24:19: error: spec.templates[1].script.source: invalid expression: bad template",
                "w.yaml:28:34: error: spec.templates[1].outputs.parameters[0].valueFrom.expression: invalid expression: bad expr",
            ])
        // `{{…}}` tags are replaced by a placeholder word before `when` and expression fields are parsed.
        #expect(recorder.calls.contains("when: x == BAD"))
        #expect(recorder.calls.contains("expr: x BAD"))
        #expect(recorder.calls.contains("depends: a && BAD"))
    }

    @Test func withoutACheckerExpressionsAreNotParsed() {
        #expect(Linter.lint(text: Self.yaml, file: "w.yaml").map(\.message) == ["unknown task 'BAD' in depends"])
    }
}
