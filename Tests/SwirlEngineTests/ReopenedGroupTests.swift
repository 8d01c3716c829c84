import Foundation
import SwirlEngine
import SwirlSpec
import Testing

/// `retry` and `resubmit --memoized` reopen a Steps node at its first group that holds something to run again (a
/// step that failed with `continueOn`, a skipped or suspended one), not only at its last group: the groups then run
/// again in order, and groups that were already complete are passed over.
@Suite struct ReopenedGroupTests {
    /// Group 0 holds a step that fails under `continueOn` and one skipped by `when`; group 2 fails the workflow.
    static let groups = workflowYAML(
        """
          - name: main
            steps:
            - - {name: a, template: echo}
              - {name: quiet, template: echo, when: "1 == 2"}
              - name: flaky
                template: echo
                continueOn: {failed: true}
            - - {name: b, template: echo}
            - - {name: c, template: echo}
        \(echoTemplate)
        """)

    /// The same, with the failing step of group 1 nested one Steps template down.
    static let nested = workflowYAML(
        """
          - name: main
            steps:
            - - name: flaky
                template: echo
                continueOn: {failed: true}
            - - {name: inner, template: inner}
          - name: inner
            steps:
            - - {name: x, template: echo}
            - - {name: y, template: echo}
        \(echoTemplate)
        """)

    static func failing(_ names: Set<String>) -> (FakePod) -> PodAnswer {
        { names.contains($0.displayName) ? .exit(1) : .ok }
    }

    /// Runs `yaml` once with `first`, then restores the status `reopen` makes of it and runs it with `second`.
    func rerun(
        _ yaml: String, name: String = "wf", first: @escaping (FakePod) -> PodAnswer,
        second: @escaping (FakePod) -> PodAnswer, reopen: (WorkflowStatus) -> WorkflowStatus
    ) throws -> (first: EngineHarness, second: EngineHarness) {
        var before = try EngineHarness(yaml, responder: first)
        _ = before.run()
        var after = try EngineHarness(yaml, name: name, uid: "uid-2", responder: second)
        after.clock = before.clock.addingTimeInterval(60)
        after.restore(status: reopen(before.engine.status))
        _ = after.run()
        return (before, after)
    }

    func retried(_ status: WorkflowStatus) -> WorkflowStatus {
        WorkflowEngine.retryStatus(status, workflowName: "wf", restartSuccessful: false, selector: nil).status
    }

    func resubmitted(_ status: WorkflowStatus) -> WorkflowStatus {
        WorkflowEngine.memoizedResubmitStatus(status, from: "wf", to: "wf-2", now: Date(timeIntervalSince1970: 2e9))
    }

    func expectEveryNodeFinished(_ h: EngineHarness) {
        let open = h.engine.status.nodes.values.filter { !$0.phase.isCompleted }.map(\.name)
        #expect(open.isEmpty, "nodes left unfinished: \(open)")
    }

    @Test func retryRunsAContinuedFailureOfAnEarlierGroupFirst() throws {
        let (before, after) = try rerun(
            Self.groups, first: Self.failing(["flaky", "c"]), second: { _ in .ok }, reopen: retried)
        #expect(before.phase == .failed)
        #expect(before.startedDisplayNames == ["a", "flaky", "b", "c"])
        #expect(after.phase == .succeeded)
        #expect(after.startedDisplayNames == ["flaky", "c"])
        #expect(after.node("wf[0].flaky")?.phase == .succeeded)
        #expect(after.node("wf[0].quiet")?.phase == .skipped)
        #expect(after.node("wf[1].b")?.phase == .succeeded)
        #expect(after.node("wf")?.children?.count == 3)
        expectEveryNodeFinished(after)
    }

    @Test func retryWaitsForTheEarlierGroupBeforeTheLaterOne() throws {
        var before = try EngineHarness(Self.groups, responder: Self.failing(["flaky", "c"]))
        _ = before.run()
        var after = try EngineHarness(Self.groups, uid: "uid-2", responder: { _ in .ok })
        after.restore(status: retried(before.engine.status))
        #expect(after.startedDisplayNames == ["flaky"])
        #expect(after.node("wf[2]")?.phase == .running)
        _ = after.run()
        #expect(after.startedDisplayNames == ["flaky", "c"])
    }

    @Test func resubmitRunsEveryStepThatWasNotASucceededPod() throws {
        let (_, after) = try rerun(
            Self.groups, name: "wf-2", first: Self.failing(["flaky", "c"]), second: { _ in .ok },
            reopen: resubmitted)
        #expect(after.phase == .succeeded)
        #expect(after.startedDisplayNames == ["flaky", "c"])
        #expect(after.node("wf-2[0].a")?.message?.hasPrefix("original pod: ") == true)
        #expect(after.node("wf-2[1].b")?.type == .skipped)
        #expect(after.node("wf-2[0].quiet")?.message == "when '1 == 2' evaluated false")
        #expect(after.node("wf-2")?.displayName == "wf-2")
        expectEveryNodeFinished(after)
    }

    @Test func aNestedFailureInALaterGroupWaitsForTheEarlierGroup() throws {
        for (name, reopen) in [("wf", retried), ("wf-2", resubmitted)] {
            let (before, after) = try rerun(
                Self.nested, name: name, first: Self.failing(["flaky", "y"]), second: { _ in .ok }, reopen: reopen)
            #expect(before.startedDisplayNames == ["flaky", "x", "y"])
            #expect(after.phase == .succeeded)
            #expect(after.startedDisplayNames == ["flaky", "y"])
            expectEveryNodeFinished(after)
        }
    }

    @Test func resubmitRunsASucceededSuspendAgain() throws {
        let yaml = workflowYAML(
            """
              - name: main
                steps:
                - - {name: pause, template: pause}
                - - {name: a, template: echo}
                - - {name: b, template: echo}
              - name: pause
                suspend: {duration: "5s"}
            \(echoTemplate)
            """)
        let (before, after) = try rerun(
            yaml, name: "wf-2", first: Self.failing(["b"]), second: { _ in .ok }, reopen: resubmitted)
        #expect(before.node("wf[0].pause")?.phase == .succeeded)
        #expect(after.phase == .succeeded)
        #expect(after.startedDisplayNames == ["b"])
        let pause = try #require(after.node("wf-2[0].pause"))
        #expect(pause.type == .suspend && pause.phase == .succeeded)
        let resubmittedAt = before.clock.addingTimeInterval(60)
        #expect((pause.startedAt ?? .distantPast) >= resubmittedAt, "the pause ran again")
        #expect((pause.finishedAt ?? .distantPast) >= resubmittedAt.addingTimeInterval(5))
        expectEveryNodeFinished(after)
    }
}
