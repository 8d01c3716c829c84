import Foundation
import SwirlEngine
import SwirlSpec
import Testing

/// `resubmit --memoized`: a new workflow that starts from the failed one's nodes, so succeeded pods are not run
/// again and their outputs still feed the steps that do run.
@Suite struct MemoizedResubmitTests {
    static let steps = workflowYAML(
        """
          - name: main
            steps:
            - - {name: gen, template: echo, arguments: {parameters: [{name: x, value: "one"}]}}
            - - name: use
                template: echo
                arguments: {parameters: [{name: x, value: "{{steps.gen.outputs.result}}"}]}
            - - {name: last, template: echo}
        \(echoTemplate)
        """)

    /// Runs `yaml` as `wf` with `firstRun`, then as `wf-2` from the memoized status with `secondRun`.
    func resubmit(
        _ yaml: String, firstRun: @escaping (FakePod) -> PodAnswer, secondRun: @escaping (FakePod) -> PodAnswer
    ) throws -> (first: EngineHarness, second: EngineHarness) {
        var first = try EngineHarness(yaml, name: "wf", responder: firstRun)
        _ = first.run()
        var second = try EngineHarness(yaml, name: "wf-2", uid: "uid-2", responder: secondRun)
        second.clock = first.clock.addingTimeInterval(60)
        let status = WorkflowEngine.memoizedResubmitStatus(
            first.engine.status, from: "wf", to: "wf-2", now: second.clock)
        second.restore(status: status)
        _ = second.run()
        return (first, second)
    }

    @Test func succeededStepsAreNotRunAgainAndKeepTheirOutputs() throws {
        let (first, second) = try resubmit(
            Self.steps,
            firstRun: { $0.displayName == "gen" ? .out("from-gen") : $0.displayName == "use" ? .exit(1) : .ok },
            secondRun: { _ in .ok })
        #expect(first.phase == .failed)
        #expect(first.startedDisplayNames == ["gen", "use"])
        #expect(second.phase == .succeeded)
        #expect(second.startedDisplayNames == ["use", "last"])
        #expect(second.request(displayName: "use")?.argv == ["echo", "from-gen"])
        let gen = try #require(second.node("wf-2[0].gen"))
        #expect(gen.type == .skipped && gen.phase == .skipped)
        #expect(gen.message == "original pod: \(NodeNaming.nodeID(workflowName: "wf", nodeName: "wf[0].gen"))")
        #expect(gen.outputs?.result == "from-gen")
        #expect(second.engine.status.nodes.values.allSatisfy { $0.id.hasPrefix("wf-2") })
        #expect(second.engine.status.nodes.values.allSatisfy { $0.name.hasPrefix("wf-2") })
    }

    @Test func dagRunsOnlyFailedAndDownstreamTasks() throws {
        let (_, second) = try resubmit(
            DAGTests.diamond,
            firstRun: { $0.displayName == "C" ? .exit(1) : .ok },
            secondRun: { _ in .ok })
        #expect(second.phase == .succeeded)
        #expect(Set(second.startedDisplayNames) == ["C", "D"])
        #expect(second.node("wf-2.A")?.phase == .skipped)
        #expect(second.node("wf-2.B")?.phase == .skipped)
        #expect(second.node("wf-2.D")?.phase == .succeeded)
    }

    @Test func exitHandlerRunsAgain() throws {
        let yaml = workflowYAML(
            spec: "  onExit: bye",
            """
              - name: main
                steps:
                - - {name: a, template: echo}
                - - {name: b, template: echo}
              - name: bye
                container: {image: alpine, command: [echo, bye]}
            \(echoTemplate)
            """)
        let (first, second) = try resubmit(
            yaml, firstRun: { $0.displayName == "b" ? .exit(1) : .ok }, secondRun: { _ in .ok })
        #expect(first.startedDisplayNames == ["a", "b", "wf.onExit"])
        #expect(second.phase == .succeeded)
        #expect(second.startedDisplayNames == ["b", "wf-2.onExit"])
    }

    @Test func aFailedSinglePodWorkflowStartsOver() throws {
        let yaml = workflowYAML(
            """
              - name: main
                container: {image: alpine, command: [false]}
            """)
        let (_, second) = try resubmit(yaml, firstRun: { _ in .exit(1) }, secondRun: { _ in .ok })
        #expect(second.phase == .succeeded)
        #expect(second.startedDisplayNames == ["wf-2"])
    }
}
