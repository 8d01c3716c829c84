import Foundation
import SwirlEngine
import SwirlSpec
import Testing

@Suite struct LoopTests {
    @Test func withItemsScalars() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - name: task
                        template: echo
                        arguments:
                          parameters: [{name: x, value: "{{item}}"}]
                        withItems: [a, 2, true]
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["task(0:a)", "task(1:2)", "task(2:true)"])
        #expect(h.node("wf[0].task(0:a)")?.phase == .succeeded)
        #expect(h.node("wf[0]")?.children?.count == 3)
        #expect(h.started.map(\.argv) == [["echo", "a"], ["echo", "2"], ["echo", "true"]])
    }

    @Test func withItemsMaps() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - name: task
                        template: echo
                        arguments:
                          parameters: [{name: x, value: "{{item.os}}-{{item.ver}}"}]
                        withItems:
                        - {os: debian, ver: "9.1"}
                        - {ver: "3.8", os: alpine}
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["task(0:os:debian,ver:9.1)", "task(1:os:alpine,ver:3.8)"])
        #expect(h.started.map(\.argv) == [["echo", "debian-9.1"], ["echo", "alpine-3.8"]])
    }

    @Test func withItemsInDAGUsesTaskGroup() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - name: L
                        template: echo
                        arguments:
                          parameters: [{name: x, value: "{{item}}"}]
                        withItems: ["x(y)", b]
                      - {name: after, template: echo, dependencies: [L]}
                \(echoTemplate)
                """))
        h.start()
        #expect(h.startedDisplayNames == ["L(0:xy)", "L(1:b)"], "parentheses stripped from the item text")
        #expect(h.run() == .succeeded)
        let group = try #require(h.node("wf.L"))
        #expect(group.type == .taskGroup)
        #expect(group.children?.count == 2)
        #expect(h.node("wf.L(0:xy)")?.boundaryID == "wf")
        #expect(h.startedDisplayNames.last == "after")
    }

    @Test func withParamFromPreviousStep() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: gen, template: echo}
                    - - name: each
                        template: echo
                        arguments:
                          parameters: [{name: x, value: "{{item.n}}"}]
                        withParam: "{{steps.gen.outputs.result}}"
                \(echoTemplate)
                """)
        ) { $0.displayName == "gen" ? .out(#"[{"n": 1}, {"n": 2}, {"n": 3}]"#) : .ok }
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["gen", "each(0:n:1)", "each(1:n:2)", "each(2:n:3)"])
        #expect(h.started.dropFirst().map(\.argv) == [["echo", "1"], ["echo", "2"], ["echo", "3"]])
    }

    @Test func withParamNotAListIsError() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: gen, template: echo}
                    - - name: each
                        template: echo
                        withParam: "{{steps.gen.outputs.result}}"
                \(echoTemplate)
                """)
        ) { $0.displayName == "gen" ? .out("not json") : .ok }
        #expect(h.run() == .failed)
        #expect(h.node("wf[1].each")?.phase == .error)
    }

    @Test func withSequence() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - name: count
                        template: echo
                        arguments: {parameters: [{name: x, value: "{{item}}"}]}
                        withSequence: {count: "3", start: "5"}
                      - name: range
                        template: echo
                        arguments: {parameters: [{name: x, value: "{{item}}"}]}
                        withSequence: {start: "3", end: "1"}
                      - name: fmt
                        template: echo
                        arguments: {parameters: [{name: x, value: "{{item}}"}]}
                        withSequence: {count: "2", format: "test%02d"}
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        #expect(
            h.startedDisplayNames == [
                "count(0:5)", "count(1:6)", "count(2:7)", "range(0:3)", "range(1:2)", "range(2:1)",
                "fmt(0:test00)", "fmt(1:test01)",
            ])
    }

    @Test func aggregatedOutputs() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - name: gen
                        template: gen
                        withItems: [a, b, c]
                    - - name: params
                        template: echo
                        arguments: {parameters: [{name: x, value: "{{steps.gen.outputs.parameters.p}}"}]}
                      - name: results
                        template: echo
                        arguments: {parameters: [{name: x, value: "{{steps.gen.outputs.result}}"}]}
                  - name: gen
                    container: {image: alpine}
                    outputs:
                      parameters: [{name: p, valueFrom: {path: /p}}]
                \(echoTemplate)
                """)
        ) { pod in
            pod.baseName == "gen"
                ? PodAnswer(
                    stdout: "r-\(pod.displayName.dropFirst(6).prefix(1))",
                    outputParameters: ["p": "p-\(pod.displayName.dropFirst(6).prefix(1))"])
                : .ok
        }
        #expect(h.run() == .succeeded)
        #expect(h.request(displayName: "params")?.argv == ["echo", #"["p-a","p-b","p-c"]"#])
        #expect(h.request(displayName: "results")?.argv == ["echo", #"["r-a","r-b","r-c"]"#])
    }

    @Test func emptyLoopSteps() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: gen, template: echo}
                    - - name: each
                        template: echo
                        withParam: "{{steps.gen.outputs.result}}"
                    - - {name: after, template: echo}
                \(echoTemplate)
                """)
        ) { $0.displayName == "gen" ? .out("[]") : .ok }
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["gen", "after"])
        #expect(h.node("wf[1]")?.phase == .succeeded)
    }

    @Test func emptyLoopDAG() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    dag:
                      tasks:
                      - {name: L, template: echo, withItems: []}
                      - {name: after, template: echo, dependencies: [L]}
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        #expect(h.startedDisplayNames == ["after"])
        #expect(h.node("wf.L")?.phase == .succeeded)
    }

    @Test func failedLoopChildFailsStep() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - name: task
                        template: echo
                        withItems: [a, b]
                \(echoTemplate)
                """)
        ) { $0.displayName == "task(1:b)" ? .exit(1) : .ok }
        #expect(h.run() == .failed)
        #expect(h.node("wf[0].task(0:a)")?.phase == .succeeded)
        #expect(h.node("wf[0]")?.message == "child '\(h.node("wf[0].task(1:b)")!.id)' failed")
    }
}
