import Foundation
import SwirlEngine
import SwirlSpec
import Testing

/// A workflow header plus the given templates (indented by two spaces in the caller's text).
func workflowYAML(entrypoint: String = "main", spec extra: String = "", _ templates: String) -> String {
    """
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata: {name: ignored}
    spec:
      entrypoint: \(entrypoint)
    \(extra)
      templates:
    \(templates)
    """
}

/// A container template `name` that echoes its input `x` (when `input` is true) or nothing.
let echoTemplate = """
      - name: echo
        inputs:
          parameters:
          - name: x
            value: none
        container:
          image: alpine
          command: [echo]
          args: ["{{inputs.parameters.x}}"]
    """

@Suite struct StepsTests {
    @Test func sequentialGroupsAndParallelSteps() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: a, template: echo}
                    - - {name: b1, template: echo}
                      - {name: b2, template: echo}
                    - - {name: c, template: echo}
                \(echoTemplate)
                """))
        h.start()
        #expect(h.startedDisplayNames == ["a"])
        h.step()
        #expect(h.startedDisplayNames == ["a", "b1", "b2"])
        #expect(h.running.count == 2)
        h.step()
        #expect(h.startedDisplayNames.count == 3, "c waits for the whole group")
        h.step()
        #expect(h.startedDisplayNames == ["a", "b1", "b2", "c"])
        #expect(h.run() == .succeeded)
        #expect(h.completions == [.succeeded])
        #expect(h.node("wf")?.children?.count == 3)
        #expect(h.node("wf[1]")?.children?.count == 2)
        for name in ["wf", "wf[0]", "wf[1]", "wf[2]", "wf[1].b1", "wf[1].b2"] {
            #expect(h.node(name)?.phase == .succeeded, "\(name)")
        }
        #expect(h.engine.status.progress == "4/4")
    }

    @Test func failedStepFailsWorkflow() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: a, template: echo}
                      - {name: bad, template: echo}
                    - - {name: never, template: echo}
                \(echoTemplate)
                """)
        ) { $0.displayName == "bad" ? .exit(2) : .ok }
        #expect(h.run() == .failed)
        let bad = try #require(h.node("wf[0].bad"))
        #expect(bad.phase == .failed)
        #expect(bad.message == "Error (exit code 2)")
        #expect(bad.outputs?.exitCode == "2")
        #expect(h.node("wf[0]")?.phase == .failed)
        #expect(h.node("wf[0]")?.message == "child '\(bad.id)' failed")
        #expect(h.node("wf")?.phase == .failed)
        #expect(h.node("wf")?.message == "child '\(bad.id)' failed")
        #expect(h.node("wf[1]") == nil)
        #expect(!h.startedDisplayNames.contains("never"))
        #expect(h.engine.status.message == "child '\(bad.id)' failed")
        #expect(h.completions == [.failed])
    }

    @Test func continueOnFailed() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - name: bad
                        template: echo
                        continueOn: {failed: true}
                    - - {name: after, template: echo}
                \(echoTemplate)
                """)
        ) { $0.displayName == "bad" ? .exit(1) : .ok }
        #expect(h.run() == .succeeded)
        #expect(h.node("wf[0].bad")?.phase == .failed)
        #expect(h.node("wf[0]")?.phase == .succeeded)
        #expect(h.node("wf[1].after")?.phase == .succeeded)
    }

    @Test func continueOnFailedDoesNotCoverError() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - name: bad
                        template: echo
                        continueOn: {failed: true}
                    - - {name: after, template: echo}
                \(echoTemplate)
                """)
        ) { $0.displayName == "bad" ? .infraError("could not start") : .ok }
        #expect(h.run() == .failed)
        #expect(h.node("wf[0].bad")?.phase == .error)
        #expect(h.node("wf[0].bad")?.message == "could not start")
        #expect(h.node("wf[1]") == nil)
    }

    @Test func whenFalseSkips() throws {
        var h = try EngineHarness(
            workflowYAML(
                spec: """
                      arguments:
                        parameters:
                        - {name: coin, value: tails}
                    """,
                """
                  - name: main
                    steps:
                    - - name: heads
                        template: echo
                        when: "{{workflow.parameters.coin}} == heads"
                      - name: tails
                        template: echo
                        when: "{{workflow.parameters.coin}} == tails"
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        let heads = try #require(h.node("wf[0].heads"))
        #expect(heads.type == .skipped)
        #expect(heads.phase == .skipped)
        #expect(heads.message == "when 'tails == heads' evaluated false")
        #expect(h.node("wf[0].tails")?.phase == .succeeded)
        #expect(h.startedDisplayNames == ["tails"])
    }

    @Test func parametersAndGlobals() throws {
        var h = try EngineHarness(
            workflowYAML(
                spec: """
                      arguments:
                        parameters:
                        - {name: greeting, value: hello}
                    """,
                """
                  - name: main
                    inputs:
                      parameters:
                      - name: greeting
                    steps:
                    - - name: a
                        template: echo
                        arguments:
                          parameters:
                          - {name: x, value: "{{inputs.parameters.greeting}} from {{workflow.name}}"}
                    - - name: b
                        template: echo
                        arguments:
                          parameters:
                          - {name: x, value: "{{workflow.parameters.greeting}}"}
                      - name: c
                        template: echo
                \(echoTemplate)
                """),
            name: "my-wf")
        #expect(h.run() == .succeeded)
        #expect(h.request(displayName: "a")?.argv == ["echo", "hello from my-wf"])
        #expect(h.request(displayName: "b")?.argv == ["echo", "hello"])
        #expect(h.request(displayName: "c")?.argv == ["echo", "none"], "input value is the default")
        #expect(h.node("my-wf[0].a")?.inputs?.parameters?.first?.value?.value == "hello from my-wf")
        #expect(h.request(displayName: "a")?.workflowName == "my-wf")
        #expect(h.request(displayName: "a")?.workflowUID == "uid-1")
        #expect(h.request(displayName: "a")?.image == "alpine")
    }

    @Test func outputsOfPreviousSteps() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: gen, template: gen}
                    - - name: use-result
                        template: echo
                        arguments:
                          parameters: [{name: x, value: "{{steps.gen.outputs.result}}"}]
                      - name: use-param
                        template: echo
                        arguments:
                          parameters: [{name: x, value: "{{steps.gen.outputs.parameters.p}}"}]
                      - name: use-status
                        template: echo
                        arguments:
                          parameters: [{name: x, value: "{{steps.gen.status}}/{{steps.gen.exitCode}}"}]
                  - name: gen
                    container: {image: alpine, command: [gen]}
                    outputs:
                      parameters:
                      - name: p
                        valueFrom: {path: /tmp/p}
                \(echoTemplate)
                """)
        ) { pod in
            pod.displayName == "gen" ? PodAnswer(stdout: "the result", outputParameters: ["p": "pval"]) : .ok
        }
        #expect(h.run() == .succeeded)
        #expect(h.request(displayName: "gen")?.outputParameterPaths == ["p": "/tmp/p"])
        #expect(h.request(displayName: "use-result")?.argv == ["echo", "the result"])
        #expect(h.request(displayName: "use-param")?.argv == ["echo", "pval"])
        #expect(h.request(displayName: "use-status")?.argv == ["echo", "Succeeded/0"])
        let gen = try #require(h.node("wf[0].gen"))
        #expect(gen.outputs?.result == "the result")
        #expect(gen.outputs?.parameters?.first?.value?.value == "pval")
    }

    @Test func nestedStepsNames() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: outer, template: inner}
                  - name: inner
                    steps:
                    - - {name: leaf, template: echo}
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        let leaf = try #require(h.node("wf[0].outer[0].leaf"))
        #expect(leaf.boundaryID == h.node("wf[0].outer")?.id)
        #expect(h.node("wf[0].outer")?.type == .steps)
    }
}
