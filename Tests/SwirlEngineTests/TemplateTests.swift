import Foundation
import SwirlEngine
import SwirlSpec
import Testing

@Suite struct ScriptAndOutputTests {
    @Test func scriptTemplate() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: gen, template: gen}
                    - - name: use
                        template: echo
                        arguments: {parameters: [{name: x, value: "{{steps.gen.outputs.result}}"}]}
                  - name: gen
                    inputs: {parameters: [{name: n, value: "7"}]}
                    script:
                      image: python:alpine
                      command: [python]
                      source: |
                        print({{inputs.parameters.n}} * 6)
                \(echoTemplate)
                """)
        ) { $0.displayName == "gen" ? .out("42") : .ok }
        #expect(h.run() == .succeeded)
        let gen = try #require(h.request(displayName: "gen"))
        #expect(gen.argv == ["python"])
        #expect(gen.scriptSource == "print(7 * 6)\n")
        #expect(gen.image == "python:alpine")
        #expect(h.node("wf[0].gen")?.outputs?.result == "42")
        #expect(h.request(displayName: "use")?.argv == ["echo", "42"])
    }

    static let outputWorkflow = workflowYAML(
        """
          - name: main
            container: {image: alpine}
            outputs:
              parameters:
              - name: p
                valueFrom: {path: /tmp/p}
              - name: q
                valueFrom: {path: /tmp/q, default: fallback}
        """)

    @Test func outputParameterPresent() throws {
        var h = try EngineHarness(Self.outputWorkflow) { _ in .params(["p": "pv", "q": "qv"]) }
        #expect(h.run() == .succeeded)
        #expect(h.started.first?.outputParameterPaths == ["p": "/tmp/p", "q": "/tmp/q"])
        let params = try #require(h.node("wf")?.outputs?.parameters)
        #expect(params.map(\.name) == ["p", "q"])
        #expect(params.map { $0.value?.value } == ["pv", "qv"])
    }

    @Test func outputParameterMissingWithDefault() throws {
        var h = try EngineHarness(Self.outputWorkflow) { _ in
            PodAnswer(outputParameters: ["p": "pv"], missingOutputs: ["q": "no such file"])
        }
        #expect(h.run() == .succeeded)
        let params = try #require(h.node("wf")?.outputs?.parameters)
        #expect(params.first { $0.name == "q" }?.value?.value == "fallback")
    }

    @Test func outputParameterMissingWithoutDefaultIsError() throws {
        var h = try EngineHarness(Self.outputWorkflow) { _ in
            PodAnswer(outputParameters: ["q": "qv"], missingOutputs: ["p": "no such file"])
        }
        #expect(h.run() == .error)
        let node = try #require(h.node("wf"))
        #expect(node.phase == .error)
        #expect(node.message?.contains("'p'") == true)
        #expect(node.message?.contains("no such file") == true)
    }

    @Test func failedStepKeepsFailedPhaseWhenOutputMissing() throws {
        var h = try EngineHarness(Self.outputWorkflow) { _ in PodAnswer(exitCode: 1) }
        #expect(h.run() == .failed)
        #expect(h.node("wf")?.phase == .failed)
    }

    @Test func globalOutputs() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: gen, template: gen}
                    - - name: use
                        template: echo
                        arguments: {parameters: [{name: x, value: "{{workflow.outputs.parameters.g}}"}]}
                  - name: gen
                    container: {image: alpine}
                    outputs:
                      parameters: [{name: p, globalName: g, valueFrom: {path: /p}}]
                \(echoTemplate)
                """)
        ) { _ in .params(["p": "global!"]) }
        #expect(h.run() == .succeeded)
        #expect(h.engine.status.outputs?.parameters?.first?.value?.value == "global!")
        #expect(h.request(displayName: "use")?.argv == ["echo", "global!"])
    }
}

@Suite struct ExitHandlerTests {
    static func workflow(exitFails: Bool = false) -> String {
        workflowYAML(
            spec: "  onExit: exit",
            """
              - name: main
                container: {image: alpine, command: [main]}
              - name: exit
                steps:
                - - name: report
                    template: echo
                    arguments: {parameters: [{name: x, value: "{{workflow.status}}"}]}
            \(echoTemplate)
            """)
    }

    @Test func exitHandlerSeesFailed() throws {
        var h = try EngineHarness(Self.workflow()) { $0.template == "main" ? .exit(1) : .ok }
        #expect(h.run() == .failed)
        #expect(h.startedDisplayNames == ["wf", "report"])
        #expect(h.request(displayName: "report")?.argv == ["echo", "Failed"])
        let exitNode = try #require(h.node("wf.onExit"))
        #expect(exitNode.phase == .succeeded)
        #expect(exitNode.type == .steps)
        #expect(h.node("wf.onExit[0].report")?.phase == .succeeded)
        #expect(h.completions == [.failed])
    }

    @Test func exitHandlerSeesSucceeded() throws {
        var h = try EngineHarness(Self.workflow())
        #expect(h.run() == .succeeded)
        #expect(h.request(displayName: "report")?.argv == ["echo", "Succeeded"])
        // The exit handler starts only after the entrypoint finished.
        let root = try #require(h.node("wf"))
        let report = try #require(h.node("wf.onExit[0].report"))
        #expect(report.startedAt! >= root.finishedAt!)
    }

    @Test func failingExitHandlerFailsWorkflow() throws {
        var h = try EngineHarness(Self.workflow()) { $0.displayName == "report" ? .exit(1) : .ok }
        #expect(h.run() == .failed)
        #expect(h.node("wf")?.phase == .succeeded)
        #expect(h.node("wf.onExit")?.phase == .failed)
        #expect(h.completions == [.failed])
    }

    @Test func hooksExit() throws {
        var h = try EngineHarness(
            workflowYAML(
                spec: """
                      hooks:
                        exit:
                          template: echo
                          arguments: {parameters: [{name: x, value: "{{workflow.status}}"}]}
                    """,
                """
                  - name: main
                    container: {image: alpine, command: [main]}
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        #expect(h.node("wf.onExit")?.phase == .succeeded)
        #expect(h.started.last?.argv == ["echo", "Succeeded"])
    }
}

@Suite struct ControlTests {
    @Test func workflowParallelism() throws {
        let tasks = (0..<10).map { "      - {name: t\($0), template: echo}" }.joined(separator: "\n")
        var h = try EngineHarness(
            workflowYAML(
                spec: "  parallelism: 2",
                """
                  - name: main
                    dag:
                      tasks:
                \(tasks)
                \(echoTemplate)
                """))
        h.start()
        #expect(h.started.count == 2)
        #expect(h.run() == .succeeded)
        #expect(h.started.count == 10)
        #expect(h.maxRunning == 2)
    }

    @Test func missingInputParameter() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: s, template: needs}
                  - name: needs
                    inputs: {parameters: [{name: message}]}
                    container: {image: alpine, args: ["{{inputs.parameters.message}}"]}
                """))
        #expect(h.run() == .failed)
        let node = try #require(h.node("wf[0].s"))
        #expect(node.phase == .error)
        #expect(node.message == "inputs.parameters.message was not supplied")
        #expect(h.started.isEmpty)
    }

    @Test func unknownTemplate() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: s, template: nope}
                """))
        #expect(h.run() == .failed)
        let node = try #require(h.node("wf[0].s"))
        #expect(node.phase == .error)
        #expect(node.message?.contains("nope") == true)
    }

    @Test func unknownEntrypoint() throws {
        var h = try EngineHarness(workflowYAML(entrypoint: "nope", "  - name: main\n    container: {image: a}"))
        #expect(h.run() == .error)
        #expect(h.completions == [.error])
        #expect(h.engine.status.message?.contains("nope") == true)
    }

    @Test func activeDeadlineSeconds() throws {
        var h = try EngineHarness(
            workflowYAML(
                spec: "  activeDeadlineSeconds: 30",
                """
                  - name: main
                    steps:
                    - - {name: a, template: echo}
                      - {name: b, template: echo}
                    - - {name: c, template: echo}
                \(echoTemplate)
                """)
        ) { _ in .hanging }
        h.start()
        #expect(h.wakes == [EngineHarness.epoch.addingTimeInterval(30)])
        #expect(h.run() == .failed)
        #expect(h.clock == EngineHarness.epoch.addingTimeInterval(30))
        #expect(Set(h.kills) == Set(h.started.map(\.podName)))
        #expect(h.kills.count == 2)
        #expect(h.node("wf[0].a")?.phase == .failed)
        #expect(h.node("wf[1]") == nil)
        #expect(h.completions == [.failed])
    }

    @Test func stopRunsExitHandlerTerminateDoesNot() throws {
        let yaml = workflowYAML(
            spec: "  onExit: bye",
            """
              - name: main
                container: {image: alpine, command: [main]}
              - name: bye
                container: {image: alpine, command: [bye]}
            """)
        var stop = try EngineHarness(yaml) { $0.template == "main" ? .hanging : .ok }
        stop.start()
        stop.send(.shutdown(terminate: false))
        #expect(stop.kills.count == 1)
        #expect(stop.run() == .failed)
        #expect(stop.node("wf")?.phase == .failed)
        // Argo: `stop` still runs exit handlers.
        #expect(stop.startedDisplayNames == ["wf", "wf.onExit"])
        #expect(stop.node("wf.onExit")?.phase == .succeeded)

        var terminate = try EngineHarness(yaml) { $0.template == "main" ? .hanging : .ok }
        terminate.start()
        terminate.send(.shutdown(terminate: true))
        #expect(terminate.run() == .failed)
        #expect(terminate.node("wf.onExit") == nil)
    }

    @Test func dataTemplateListsKeysThenTransformsThem() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    data:
                      source:
                        artifactPaths: {name: files, s3: {key: "{{workflow.name}}/files"}}
                      transformation:
                      - expression: 'filter(data, {# endsWith ".log"})'
                      - expression: 'map(data, {# + ".x"})'
                """)
        ) { _ in .out("wf/files/a.log\nwf/files/b.txt\nwf/files/c.log") }
        #expect(h.run() == .succeeded)
        let request = try #require(h.started.first)
        #expect(request.inputArtifacts.first?.source == .repository(key: "wf/files"))
        #expect(request.inputArtifacts.first?.path == "/argo/data")
        #expect(h.engine.status.nodes["wf"]?.outputs?.result == #"["wf/files/a.log.x","wf/files/c.log.x"]"#)
    }

    @Test func initContainersRunFirstAndSidecarsAroundTheMainCommand() throws {
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    initContainers:
                    - {name: prep, image: alpine, command: [sh, -c, "echo init"]}
                    sidecars:
                    - {name: side, image: alpine, command: [sleep, "60"]}
                    container: {image: alpine, command: [echo, main]}
                """))
        #expect(h.run() == .succeeded)
        let argv = try #require(h.started.first?.argv)
        // sh -c WRAPPER main <main argv…>: inits before "$@", sidecars in the background, killed after.
        #expect(Array(argv.prefix(2)) == ["sh", "-c"])
        #expect(Array(argv.suffix(3)) == ["main", "echo", "main"])
        let wrapper = argv[2]
        let initAt = try #require(wrapper.range(of: "exec 'sh' '-c' 'echo init'"))
        let sideAt = try #require(wrapper.range(of: "exec 'sleep' '60'"))
        let mainAt = try #require(wrapper.range(of: "\"$@\""))
        #expect(initAt.lowerBound < sideAt.lowerBound && sideAt.lowerBound < mainAt.lowerBound)
        #expect(wrapper.contains("kill $p"))
    }

    @Test func templateParallelism() throws {
        let tasks = (0..<6).map { "          - {name: t\($0), template: echo}" }.joined(separator: "\n")
        var h = try EngineHarness(
            workflowYAML(
                """
                  - name: main
                    steps:
                    - - {name: inner, template: inner}
                  - name: inner
                    parallelism: 2
                    dag:
                      tasks:
                \(tasks)
                \(echoTemplate)
                """))
        #expect(h.run() == .succeeded)
        #expect(h.started.count == 6)
        // Argo caps the active children of a steps/dag invocation at the template's `parallelism`.
        #expect(h.maxRunning == 2)
    }
}
